/**
 * `guard-statuses`: every status BalanceGuard can answer for an operation is declared by it. The
 * statuses follow from what the contract already says about the operation (its body, security,
 * surface, rate limits and idempotency), so an operation cannot forget one; handler-specific
 * statuses (404, 409, 422 ...) are the author's to declare and BalanceGuard's runtime check
 * (server/shared/security/balanceguard/contract-check.ts) catches those in tests.
 */
import { escapePointerToken } from '../errors.js';
import { isObject, type Bundle, type Json, type JsonObject, type Source } from '../load.js';
import { deref, HTTP_METHODS, SURFACE_SESSION_SCHEME } from '../model.js';
import type { Finding } from './finding.js';

const tok = (target: string | number) => '/' + escapePointerToken(String(target));
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);
const BROWSER_SURFACES = new Set(['site', 'client', 'admin']);
const SESSION_SCHEMES = new Set(Object.values(SURFACE_SESSION_SCHEME));
/** Marks an operation that never touches the database (liveness), so it cannot answer 503. */
export const NO_DATABASE = 'x-database';

/** The statuses BalanceGuard can answer for an operation, each with why. */
export function guardStatuses(
  method: string,
  op: JsonObject,
  rootSecurity: Json | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  const guard = isObject(op['x-balanceguard']) ? op['x-balanceguard'] : {};
  const security = (
    Array.isArray(op['security']) ? op['security'] : Array.isArray(rootSecurity) ? rootSecurity : []
  ).filter(isObject);
  const schemes = security.flatMap((jsonObject) => Object.keys(jsonObject));
  const scoped = security.some((jsonObject) =>
    Object.values(jsonObject).some((scopes) => Array.isArray(scopes) && scopes.length > 0),
  );
  out.set(
    '400',
    'parameters and the query are validated (an unknown or repeated query parameter is refused everywhere)',
  );
  out.set(
    '413',
    'a body over x-balanceguard.bodyLimit is refused (any body when the operation takes none)',
  );
  if (op['requestBody'] !== undefined) out.set('415', 'a body that is not JSON is refused');
  if (schemes.some((scheme) => SESSION_SCHEMES.has(scheme))) out.set('401', 'it needs a session');
  if (scoped) out.set('403', 'its security scopes are permissions a role may lack');
  else if (UNSAFE.has(method) && BROWSER_SURFACES.has(String(guard['surface'])))
    out.set(
      '403',
      'an unsafe request from a browser surface is checked for Origin (and CSRF with a session)',
    );
  if (isObject(guard['rateLimit']) && Object.keys(guard['rateLimit']).length > 0)
    out.set('429', 'it is rate-limited');
  if (guard['idempotency'] === 'optional' || guard['idempotency'] === 'required') {
    out.set('409', 'an Idempotency-Key whose first request is still running is refused');
    out.set('422', 'an Idempotency-Key reused with another body is refused');
  }
  out.set('500', 'anything can fail');
  if (op[NO_DATABASE] !== false)
    out.set(
      '503',
      `the database can be unavailable (mark an operation that never touches it with ${NO_DATABASE}: false)`,
    );
  return out;
}

const declares = (responses: JsonObject, status: string) =>
  status in responses || `${status.charAt(0)}XX` in responses;

export function lintGuardStatuses(bundle: Bundle, rootFile: string): Finding[] {
  const { doc } = bundle;
  const findings: Finding[] = [];
  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  for (const [key, itemRaw] of Object.entries(paths)) {
    const item = deref(doc, itemRaw);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const where: Source = bundle.sourceOf(op) ?? {
        file: rootFile,
        pointer: `/paths${tok(key)}${tok(method)}`,
      };
      const responses = isObject(op['responses']) ? op['responses'] : {};
      for (const [status, why] of guardStatuses(method, op, doc['security'])) {
        if (!declares(responses, status)) {
          findings.push({
            rule: 'guard-statuses',
            file: where.file,
            pointer: `${where.pointer}/responses`,
            message: `${method.toUpperCase()} ${key} can answer ${status} (${why}) but does not declare it`,
          });
        }
      }
    }
  }
  return findings;
}
