import { AppError } from '../../errors/app-error.js';
import type { GuardRequest } from './guard-request.js';

const ALLOWED_REQUEST_HEADERS = 'Content-Type, X-CSRF-Token, Idempotency-Key, X-Request-Id';
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy';

/**
 * CORS for the operation's surface: an exact allowlist, never `*`, always `Vary: Origin`.
 * Returns true when it answered a preflight.
 */
export function cors(ctx: GuardRequest): boolean {
  const surface = ctx.surface;
  if (surface !== 'site' && surface !== 'client' && surface !== 'admin') return false;
  ctx.headers.add('vary', 'Origin');
  const origin = ctx.req.headers.origin;
  const allowed = origin !== undefined && ctx.guard.config.origins[surface].includes(origin);
  if (allowed) {
    ctx.headers.add('access-control-allow-origin', origin);
    ctx.headers.add('access-control-allow-credentials', 'true');
    ctx.headers.add('access-control-expose-headers', EXPOSED_HEADERS);
  }
  if (ctx.method !== 'OPTIONS' || ctx.req.headers['access-control-request-method'] === undefined)
    return false;
  if (!allowed) throw new AppError('AUTH.ORIGIN_NOT_ALLOWED');
  const found = ctx.route;
  const methods =
    found.kind === 'method-not-allowed'
      ? found.allowed
      : found.kind === 'found'
        ? [found.spec.method]
        : [];
  ctx.headers.set('access-control-allow-methods', methods.join(', '));
  ctx.headers.set('access-control-allow-headers', ALLOWED_REQUEST_HEADERS);
  ctx.headers.set('access-control-max-age', '600');
  ctx.res.writeHead(204, ctx.headers.list);
  ctx.res.end();
  return true;
}
