/**
 * What every HTTP answer carries, and how many request headers are read. BalanceGuard, the raw
 * server's own answers (431, 400, 408), WSGuard's refusals and the development checkout page share
 * these, so they live below all of them.
 */

/** More request headers than this is a 431 (Node is told to keep one more, so the guard can see it). */
export const MAX_REQUEST_HEADERS = 2000;

const CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Security headers on every response, errors included.
 * @example
 * res.writeHead(403, { ...securityHeaders(config.env === 'production'), 'content-type': 'text/plain' });
 */
export function securityHeaders(production: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...(production ? { 'strict-transport-security': HSTS } : {}),
  });
}
