import { CodegenError, pointerOf } from './errors.js';
import { isObject, type Bundle, type Json, type JsonObject, type Source } from './load.js';
import { deref, pickMedia, type MediaModel } from './model-media.js';

export { deref, type MediaModel };

export const SURFACES = ['site', 'client', 'admin', 'webhook', 'ops'] as const;
export type Surface = (typeof SURFACES)[number];
export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);
/** The session scheme each authenticated surface must use; CSRF rides on the `csrfToken` scheme. */
export const SURFACE_SESSION_SCHEME: Partial<Record<Surface, string>> = {
  client: 'clientSession',
  admin: 'adminSession',
};
export const CSRF_SCHEME = 'csrfToken';

/** A regular expression source matching an OpenAPI path template, each `{param}` one segment (captured). */
export function pathTemplatePattern(path: string): string {
  return '^' + path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)') + '$';
}

export interface Rate {
  limit: number;
  windowSeconds: number;
}
export interface GuardPolicy {
  surface: Surface;
  rateLimit: { ip?: Rate; actor?: Rate; global?: Rate };
  bodyLimit: number;
  idempotency: 'none' | 'optional' | 'required';
  /** The handler also receives the body's exact bytes (webhook signatures are computed over them). */
  rawBody?: true;
}
export interface ParamModel {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
}
export interface ResponseModel {
  status: string;
  description: string;
  media?: MediaModel;
}
export interface OperationModel {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  guard: GuardPolicy;
  /** Alternatives (OR) of requirements (AND of schemes, each with its scopes). Empty: anonymous. */
  security: Record<string, string[]>[];
  params: ParamModel[];
  body?: { required: boolean; media: MediaModel };
  responses: ResponseModel[];
  source: Source;
}

const RATE_KEYS = new Set(['ip', 'actor', 'global']);

function sourceOr(bundle: Bundle, node: unknown, fallback: Source): Source {
  return bundle.sourceOf(node) ?? fallback;
}

function parseRate(raw: Json | undefined, where: Source, key: string): Rate {
  if (
    !isObject(raw) ||
    !Number.isInteger(raw['limit']) ||
    !Number.isInteger(raw['windowSeconds']) ||
    (raw['limit'] as number) < 1 ||
    (raw['windowSeconds'] as number) < 1
  ) {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/rateLimit/${key}`,
      'a rate limit needs integer `limit` >= 1 and `windowSeconds` >= 1',
    );
  }
  return { limit: raw['limit'] as number, windowSeconds: raw['windowSeconds'] as number };
}

function parseGuard(op: JsonObject, where: Source, method: string): GuardPolicy {
  const raw = op['x-balanceguard'];
  if (!isObject(raw) || typeof raw['surface'] !== 'string') {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/surface`,
      'operation has no surface: add `x-balanceguard: { surface, rateLimit, bodyLimit, idempotency }`',
    );
  }
  const surface = raw['surface'] as string;
  if (!(SURFACES as readonly string[]).includes(surface)) {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/surface`,
      `unknown surface "${surface}"; one of ${SURFACES.join(', ')}`,
    );
  }
  for (const key of Object.keys(raw)) {
    if (!['surface', 'rateLimit', 'bodyLimit', 'idempotency', 'rawBody'].includes(key))
      throw new CodegenError(
        where.file,
        `${where.pointer}/x-balanceguard/${key}`,
        `unknown x-balanceguard key "${key}"`,
      );
  }
  const rl = raw['rateLimit'];
  if (!isObject(rl) || Object.keys(rl).length === 0) {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/rateLimit`,
      'operation has no rate limit: give at least one of ip, actor, global',
    );
  }
  const rateLimit: GuardPolicy['rateLimit'] = {};
  for (const [key, value] of Object.entries(rl)) {
    if (!RATE_KEYS.has(key))
      throw new CodegenError(
        where.file,
        `${where.pointer}/x-balanceguard/rateLimit/${key}`,
        `unknown rate limit key "${key}"; one of ip, actor, global`,
      );
    rateLimit[key as keyof GuardPolicy['rateLimit']] = parseRate(value, where, key);
  }
  const bodyLimit = raw['bodyLimit'];
  if (
    !Number.isInteger(bodyLimit) ||
    (bodyLimit as number) < 0 ||
    (bodyLimit as number) > 10 * 1024 * 1024
  ) {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/bodyLimit`,
      'bodyLimit must be an integer number of bytes between 0 and 10 MiB',
    );
  }
  const idempotency = raw['idempotency'] ?? 'none';
  if (idempotency !== 'none' && idempotency !== 'optional' && idempotency !== 'required') {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/idempotency`,
      'idempotency is one of none, optional, required',
    );
  }
  if (idempotency !== 'none' && !UNSAFE.has(method)) {
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/idempotency`,
      'idempotency applies to unsafe methods only',
    );
  }
  const rawBody = raw['rawBody'] ?? false;
  if (typeof rawBody !== 'boolean')
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/rawBody`,
      'rawBody is true or false',
    );
  if (rawBody && !UNSAFE.has(method))
    throw new CodegenError(
      where.file,
      `${where.pointer}/x-balanceguard/rawBody`,
      'rawBody applies to operations with a request body',
    );
  return {
    surface: surface as Surface,
    rateLimit,
    bodyLimit: bodyLimit as number,
    idempotency,
    ...(rawBody ? { rawBody: true as const } : {}),
  };
}

/**
 * Reads every operation of a bundled OpenAPI document and checks what the generator relies on:
 * unique operationIds, a surface and guard policy on each, security schemes that exist and match
 * the surface, CSRF on every unsafe cookie-session operation.
 */
export function readOperations(bundle: Bundle): OperationModel[] {
  const { doc } = bundle;
  const rootSource: Source = { file: 'contracts/v1/openapi.yaml', pointer: '' };
  const schemes =
    isObject(doc['components']) && isObject(doc['components']['securitySchemes'])
      ? doc['components']['securitySchemes']
      : {};
  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  const seen = new Map<string, Source>();
  const out: OperationModel[] = [];
  for (const [key, itemRaw] of Object.entries(paths)) {
    const item = deref(doc, itemRaw);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const where = sourceOr(bundle, op, {
        file: rootSource.file,
        pointer: pointerOf(['paths', key, method]),
      });
      const operationId = op['operationId'];
      if (typeof operationId !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(operationId)) {
        throw new CodegenError(
          where.file,
          `${where.pointer}/operationId`,
          'every operation needs a camelCase operationId',
        );
      }
      const first = seen.get(operationId);
      if (first) {
        throw new CodegenError(
          where.file,
          `${where.pointer}/operationId`,
          `duplicate operationId "${operationId}" (first at ${first.file}#${first.pointer})`,
        );
      }
      seen.set(operationId, where);
      const guard = parseGuard(op, where, method);
      const prefix = /^\/api\/v1\/(site|client|admin)\//.exec(key);
      if (prefix && prefix[1] !== guard.surface) {
        throw new CodegenError(
          where.file,
          `${where.pointer}/x-balanceguard/surface`,
          `path ${key} is on the ${prefix[1]} surface but declares surface "${guard.surface}"`,
        );
      }

      const securityRaw = op['security'] ?? doc['security'] ?? [];
      if (!Array.isArray(securityRaw))
        throw new CodegenError(where.file, `${where.pointer}/security`, 'security must be a list');
      const security: Record<string, string[]>[] = [];
      securityRaw.forEach((req, index) => {
        if (!isObject(req))
          throw new CodegenError(
            where.file,
            `${where.pointer}/security/${index}`,
            'a security requirement is a mapping',
          );
        const entry: Record<string, string[]> = {};
        for (const [name, scopes] of Object.entries(req)) {
          if (!isObject(schemes[name])) {
            throw new CodegenError(
              where.file,
              `${where.pointer}/security/${index}/${name}`,
              `secured operation names scheme "${name}", which components.securitySchemes does not define`,
            );
          }
          entry[name] = Array.isArray(scopes) ? scopes.map(String) : [];
        }
        if (Object.keys(entry).length > 0) security.push(entry);
      });
      const expected = SURFACE_SESSION_SCHEME[guard.surface];
      for (const [index, req] of security.entries()) {
        const sessionSchemes = Object.keys(req).filter((text) => text !== CSRF_SCHEME);
        if (sessionSchemes.length === 0) {
          throw new CodegenError(
            where.file,
            `${where.pointer}/security/${index}`,
            'a secured operation needs a session scheme, not only csrfToken',
          );
        }
        for (const sessionScheme of sessionSchemes) {
          if (sessionScheme !== expected)
            throw new CodegenError(
              where.file,
              `${where.pointer}/security/${index}/${sessionScheme}`,
              `scheme "${sessionScheme}" does not belong to the ${guard.surface} surface${expected ? ` (use ${expected})` : ''}`,
            );
        }
        if (UNSAFE.has(method) && !(CSRF_SCHEME in req)) {
          throw new CodegenError(
            where.file,
            `${where.pointer}/security/${index}`,
            `unsafe operation on a cookie session must also require the ${CSRF_SCHEME} scheme`,
          );
        }
      }

      const params: ParamModel[] = [];
      const rawParams = [
        ...(Array.isArray(item['parameters']) ? item['parameters'] : []),
        ...(Array.isArray(op['parameters']) ? op['parameters'] : []),
      ];
      for (const [index, rp] of rawParams.entries()) {
        const prm = deref(doc, rp);
        if (!isObject(prm) || typeof prm['name'] !== 'string' || typeof prm['in'] !== 'string') {
          throw new CodegenError(
            where.file,
            `${where.pointer}/parameters/${index}`,
            'a parameter needs name and in',
          );
        }
        params.push({
          name: prm['name'],
          in: prm['in'] as ParamModel['in'],
          required: prm['required'] === true || prm['in'] === 'path',
          schema: prm['schema'] ?? {},
        });
      }
      for (const match of key.matchAll(/\{([^}]+)\}/g)) {
        if (!params.some((param) => param.in === 'path' && param.name === match[1])) {
          throw new CodegenError(
            where.file,
            `${where.pointer}/parameters`,
            `path parameter {${match[1]}} is not declared`,
          );
        }
      }

      let body: OperationModel['body'];
      const rb = deref(doc, op['requestBody']);
      if (isObject(rb)) {
        const rbWhere = sourceOr(bundle, rb, {
          file: where.file,
          pointer: `${where.pointer}/requestBody`,
        });
        const media = pickMedia(rb['content'], rbWhere, 'request body');
        if (media) body = { required: rb['required'] === true, media };
      }
      if (body && guard.bodyLimit === 0) {
        throw new CodegenError(
          where.file,
          `${where.pointer}/x-balanceguard/bodyLimit`,
          'an operation with a request body needs a bodyLimit above 0',
        );
      }

      const responses: ResponseModel[] = [];
      const rawResponses = isObject(op['responses']) ? op['responses'] : {};
      for (const [status, rr] of Object.entries(rawResponses)) {
        const resp = deref(doc, rr);
        if (!isObject(resp)) continue;
        const rWhere = sourceOr(bundle, resp, {
          file: where.file,
          pointer: `${where.pointer}/responses/${status}`,
        });
        const media = pickMedia(resp['content'], rWhere, `response ${status}`);
        responses.push({
          status,
          description: String(resp['description'] ?? ''),
          ...(media ? { media } : {}),
        });
      }
      if (!responses.some((response) => /^2\d\d$/.test(response.status))) {
        throw new CodegenError(
          where.file,
          `${where.pointer}/responses`,
          'operation declares no 2xx response',
        );
      }
      out.push({
        operationId,
        method: method.toUpperCase(),
        path: key,
        summary: String(op['summary'] ?? ''),
        guard,
        security,
        params,
        ...(body ? { body } : {}),
        responses,
        source: where,
      });
    }
  }
  return out;
}
