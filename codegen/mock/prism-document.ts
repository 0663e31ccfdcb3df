/**
 * What the mock derives from the bundled OpenAPI document (generated/v1/openapi.json), for Prism and
 * for the proxy in front of it. Pure functions: the tests call them directly.
 */
import { CSRF_SCHEME, pathTemplatePattern } from '../model.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'patch',
  'head',
  'options',
  'trace',
] as const;

/**
 * A copy of the document for Prism to serve.
 *
 * Prism's OpenAPI reader (@stoplight/http-spec) turns a schema's `examples[0]` into a media type
 * example named `default` and puts it before the media type's own named `examples`; Prism then
 * answers with that first one. Our `Problem` schema carries a validation example, so every 401,
 * 404, 409... would come back with a `REQUEST.VALIDATION_FAILED` body. Setting the media type's
 * `example` to its first named example makes that the `default` one, which is what the contract
 * author meant Prism to send.
 */
export function preparePrismDocument(doc: Json): Json {
  const copy = structuredClone(doc);
  const examples =
    isObject(copy.components) && isObject(copy.components.examples) ? copy.components.examples : {};
  const resolveExample = (ex: unknown): unknown => {
    if (isObject(ex) && typeof ex.$ref === 'string') {
      const name = ex.$ref.replace('#/components/examples/', '');
      return resolveExample(examples[name]);
    }
    return ex;
  };
  const fixContent = (content: unknown) => {
    if (!isObject(content)) return;
    for (const media of Object.values(content)) {
      if (!isObject(media) || 'example' in media || !isObject(media.examples)) continue;
      const first = resolveExample(Object.values(media.examples)[0]);
      if (isObject(first) && 'value' in first) media.example = first.value;
    }
  };
  const fixResponses = (responses: unknown) => {
    if (!isObject(responses)) return;
    for (const response of Object.values(responses))
      if (isObject(response)) fixContent(response.content);
  };
  if (isObject(copy.components)) {
    fixResponses(copy.components.responses);
    if (isObject(copy.components.requestBodies)) fixResponses(copy.components.requestBodies);
  }
  for (const op of operations(copy)) {
    fixResponses(op.operation.responses);
    if (isObject(op.operation.requestBody)) fixContent(op.operation.requestBody.content);
  }
  return copy;
}

export interface OperationRef {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operation: Json;
}

/** Every operation of the document, in document order. */
export function operations(doc: Json): OperationRef[] {
  const out: OperationRef[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (isObject(operation)) out.push({ method, path, operation });
    }
  }
  return out;
}

/** Every response header the contract declares (minus Set-Cookie, which browsers never expose). */
export function declaredResponseHeaders(doc: Json): string[] {
  const names = new Set<string>();
  const add = (headers: unknown) => {
    if (!isObject(headers)) return;
    for (const name of Object.keys(headers))
      if (name.toLowerCase() !== 'set-cookie') names.add(name);
  };
  const components = isObject(doc.components) ? doc.components : {};
  add(components.headers);
  if (isObject(components.responses))
    for (const result of Object.values(components.responses))
      if (isObject(result)) add(result.headers);
  for (const { operation } of operations(doc)) {
    if (!isObject(operation.responses)) continue;
    for (const result of Object.values(operation.responses))
      if (isObject(result)) add(result.headers);
  }
  return [...names].sort();
}

/** Session cookie names by surface, from the cookie apiKey security schemes (`bk_<surface>_session`). */
export function sessionCookiesBySurface(doc: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  for (const scheme of Object.values(schemes)) {
    if (
      !isObject(scheme) ||
      scheme.type !== 'apiKey' ||
      scheme.in !== 'cookie' ||
      typeof scheme.name !== 'string'
    )
      continue;
    const match = /^bk_([a-z]+)_session$/.exec(scheme.name);
    if (match?.[1]) out[match[1]] = scheme.name;
  }
  return out;
}

export interface CsrfOperation {
  method: string;
  pattern: RegExp;
  /** The session cookie that makes the request a cookie session (then the token is required). */
  cookie: string;
}

/**
 * The operations that need the CSRF header with their session cookie: a security requirement that
 * names the `csrfToken` scheme next to a cookie scheme.
 */
export function csrfOperations(doc: Json): CsrfOperation[] {
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  const cookieName = (scheme: string) => {
    const text = schemes[scheme];
    return isObject(text) &&
      text.type === 'apiKey' &&
      text.in === 'cookie' &&
      typeof text.name === 'string'
      ? text.name
      : null;
  };
  const out: CsrfOperation[] = [];
  for (const { method, path, operation } of operations(doc)) {
    const security = Array.isArray(operation.security)
      ? operation.security
      : Array.isArray(doc.security)
        ? doc.security
        : [];
    for (const requirement of security) {
      if (!isObject(requirement) || !(CSRF_SCHEME in requirement)) continue;
      const cookie = Object.keys(requirement)
        .map(cookieName)
        .find((name) => name !== null);
      if (cookie) {
        out.push({
          method: method.toUpperCase(),
          pattern: new RegExp(pathTemplatePattern(path)),
          cookie,
        });
        break;
      }
    }
  }
  return out;
}
