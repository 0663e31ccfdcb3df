/**
 * Our own contract rules, on top of Redocly's recommended ruleset. A pure function over the bundled
 * documents (codegen/load.ts), so tests can feed it a document built in memory.
 */
import { escapePointerToken } from '../errors.js';
import { isObject, type Bundle, type Json, type JsonObject, type Source } from '../load.js';
import { deref, HTTP_METHODS } from '../model.js';
import { lintBounds } from './bounds.js';
import type { Finding } from './finding.js';
import { lintGuardStatuses } from './statuses.js';

export type { Finding } from './finding.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const PROBLEM_REF = '#/components/schemas/Problem';
const SCHEMA_REF_PREFIX = '#/components/schemas/';
/** Headers BalanceGuard sends on every answer of a rate-limited operation (draft-ietf-httpapi-ratelimit-headers). */
export const RATE_LIMIT_HEADERS = ['RateLimit-Policy', 'RateLimit'] as const;
/** Statuses answered from the request's shape, before the limits are counted: they carry no rate-limit headers. */
const ANSWERED_BEFORE_LIMITS = new Set(['413', '415']);

export interface LintInput {
  openapi: Bundle;
  asyncapi: Bundle;
  /** Files the documents were bundled from, used when a node has no recorded source. */
  openapiFile: string;
  asyncapiFile: string;
}

const tok = (target: string | number) => '/' + escapePointerToken(String(target));

function hasExamples(media: JsonObject): boolean {
  if (media['example'] !== undefined) return true;
  const ex = media['examples'];
  if (Array.isArray(ex)) return ex.length > 0;
  return isObject(ex) && Object.keys(ex).length > 0;
}

/** A media schema must name a component schema: `$ref: #/components/schemas/X`. */
function isNamedSchemaRef(schema: Json | undefined): boolean {
  return (
    isObject(schema) &&
    typeof schema['$ref'] === 'string' &&
    schema['$ref'].startsWith(SCHEMA_REF_PREFIX)
  );
}

export function lintContracts(input: LintInput): Finding[] {
  // Both documents bundle the shared schema files, so a schema can be found twice: report it once.
  const bounds = new Map<string, Finding>();
  for (const finding of [
    ...lintBounds(input.openapi, input.openapiFile),
    ...lintBounds(input.asyncapi, input.asyncapiFile),
  ])
    bounds.set(`${finding.file}#${finding.pointer}`, finding);
  return [
    ...lintOpenApi(input.openapi, input.openapiFile),
    ...lintGuardStatuses(input.openapi, input.openapiFile),
    ...lintAsyncApi(input.asyncapi, input.asyncapiFile),
    ...bounds.values(),
  ];
}

export function lintOpenApi(bundle: Bundle, rootFile: string): Finding[] {
  const { doc } = bundle;
  const findings: Finding[] = [];
  const at = (node: unknown, fallback: Source): Source => bundle.sourceOf(node) ?? fallback;
  const add = (rule: string, where: Source, suffix: string, message: string) =>
    findings.push({ rule, file: where.file, pointer: where.pointer + suffix, message });

  const checkContent = (
    content: Json | undefined,
    where: Source,
    what: string,
    opts: { examples: boolean },
  ) => {
    if (!isObject(content)) return;
    for (const [type, mediaRaw] of Object.entries(content)) {
      if (!isObject(mediaRaw)) continue;
      const mWhere = at(mediaRaw, { ...where, pointer: `${where.pointer}/content${tok(type)}` });
      if (!isNamedSchemaRef(mediaRaw['schema'])) {
        add(
          'no-inline-body-schema',
          mWhere,
          '/schema',
          `${what} (${type}) has an anonymous inline schema: $ref a named schema from components/schemas`,
        );
      }
      if (opts.examples && !hasExamples(mediaRaw))
        add('examples-required', mWhere, '/examples', `${what} (${type}) has no example`);
    }
  };

  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  for (const [key, itemRaw] of Object.entries(paths)) {
    const item = deref(doc, itemRaw);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const label = `${method.toUpperCase()} ${key}`;
      const where = at(op, { file: rootFile, pointer: `/paths${tok(key)}${tok(method)}` });
      if (typeof op['operationId'] !== 'string' || op['operationId'] === '')
        add('operation-operationId', where, '/operationId', `${label} has no operationId`);
      const guard = op['x-balanceguard'];
      if (!isObject(guard) || typeof guard['surface'] !== 'string' || guard['surface'] === '') {
        add(
          'operation-surface',
          where,
          '/x-balanceguard/surface',
          `${label} has no x-balanceguard.surface`,
        );
      }
      const rb = deref(doc, op['requestBody']);
      if (isObject(rb)) {
        const rbWhere = at(rb, { ...where, pointer: `${where.pointer}/requestBody` });
        if (!isObject(rb['content']) || Object.keys(rb['content']).length === 0)
          add(
            'request-body-content',
            rbWhere,
            '/content',
            `${label} request body declares no media type`,
          );
        checkContent(rb['content'], rbWhere, `${label} request body`, { examples: true });
      }
      const responses = isObject(op['responses']) ? op['responses'] : {};
      for (const [status, rr] of Object.entries(responses)) {
        const resp = deref(doc, rr);
        if (!isObject(resp)) continue;
        const rWhere = at(resp, { ...where, pointer: `${where.pointer}/responses${tok(status)}` });
        const what = `${label} response ${status}`;
        if (/^[45](\d\d|XX)$/.test(status)) {
          const content = isObject(resp['content']) ? resp['content'] : {};
          const types = Object.keys(content);
          const problem = content[PROBLEM_MEDIA_TYPE];
          if (!isObject(problem)) {
            add(
              'error-problem-json',
              rWhere,
              '/content',
              `${what} must be ${PROBLEM_MEDIA_TYPE}${types.length ? ` (found ${types.join(', ')})` : ' (it has no content)'}`,
            );
          } else {
            const pWhere = at(problem, {
              ...rWhere,
              pointer: `${rWhere.pointer}/content${tok(PROBLEM_MEDIA_TYPE)}`,
            });
            const schema = problem['schema'];
            if (!isObject(schema) || schema['$ref'] !== PROBLEM_REF)
              add(
                'error-problem-json',
                pWhere,
                '/schema',
                `${what} must use the shared Problem schema ($ref ${PROBLEM_REF})`,
              );
            for (const text of types.filter((type) => type !== PROBLEM_MEDIA_TYPE))
              add(
                'error-problem-json',
                rWhere,
                `/content${tok(text)}`,
                `${what} offers ${text}; errors are ${PROBLEM_MEDIA_TYPE} only`,
              );
          }
        }
        checkContent(resp['content'], rWhere, what, { examples: true });
        if (
          isObject(guard) &&
          isObject(guard['rateLimit']) &&
          !ANSWERED_BEFORE_LIMITS.has(status)
        ) {
          const headers = isObject(resp['headers']) ? resp['headers'] : {};
          for (const name of RATE_LIMIT_HEADERS) {
            if (!(name in headers))
              add(
                'rate-limit-headers',
                rWhere,
                `/headers${tok(name)}`,
                `${what} does not declare the ${name} header BalanceGuard sends on a rate-limited operation`,
              );
          }
        }
      }
    }
  }
  return findings;
}

export function lintAsyncApi(bundle: Bundle, rootFile: string): Finding[] {
  const { doc } = bundle;
  const findings: Finding[] = [];
  const at = (node: unknown, fallback: Source): Source => bundle.sourceOf(node) ?? fallback;
  const add = (rule: string, where: Source, suffix: string, message: string) =>
    findings.push({ rule, file: where.file, pointer: where.pointer + suffix, message });

  const operations = isObject(doc['operations']) ? doc['operations'] : {};
  for (const [id, opRaw] of Object.entries(operations)) {
    const op = deref(doc, opRaw);
    if (!isObject(op)) continue;
    const where = at(op, { file: rootFile, pointer: `/operations${tok(id)}` });
    if (op['action'] === 'receive' && !isObject(op['x-wsguard'])) {
      add(
        'wsguard-on-receive',
        where,
        '/x-wsguard',
        `receive operation "${id}" has no x-wsguard (auth, rateLimit)`,
      );
    }
  }

  // Every message, wherever it is declared: components/messages and inline channel messages.
  const seen = new Set<object>();
  const visitMessage = (raw: Json | undefined, fallback: Source, label: string) => {
    const msg = deref(doc, raw);
    if (!isObject(msg) || seen.has(msg)) return;
    seen.add(msg);
    const where = at(msg, fallback);
    const examples = msg['examples'];
    if (!Array.isArray(examples) || examples.length === 0)
      add('examples-required', where, '/examples', `message ${label} has no example`);
    if (!isNamedSchemaRef(msg['payload']))
      add(
        'no-inline-body-schema',
        where,
        '/payload',
        `message ${label} has an anonymous inline payload: $ref a named schema from components/schemas`,
      );
  };
  const components = isObject(doc['components']) ? doc['components'] : {};
  const messages = isObject(components['messages']) ? components['messages'] : {};
  for (const [name, value] of Object.entries(messages))
    visitMessage(
      value,
      { file: rootFile, pointer: `/components/messages${tok(name)}` },
      `"${name}"`,
    );
  const channels = isObject(doc['channels']) ? doc['channels'] : {};
  for (const [cid, chRaw] of Object.entries(channels)) {
    const ch = deref(doc, chRaw);
    if (!isObject(ch) || !isObject(ch['messages'])) continue;
    const chWhere = at(ch, { file: rootFile, pointer: `/channels${tok(cid)}` });
    for (const [mid, value] of Object.entries(ch['messages']))
      visitMessage(
        value,
        { ...chWhere, pointer: `${chWhere.pointer}/messages${tok(mid)}` },
        `"${cid}/${mid}"`,
      );
  }
  return findings;
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}#${finding.pointer}  ${finding.rule}  ${finding.message}`;
}
