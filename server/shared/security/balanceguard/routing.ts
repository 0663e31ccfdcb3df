import { AppError } from '../../errors/app-error.js';
import { MAX_REQUEST_HEADERS } from '../../http/headers.js';
import type { GuardRequest } from './guard-request.js';

/**
 * Routing: the header count and Host first, then the operation for the method and path.
 * The route is kept for CORS and the shape check, which answer a miss.
 */
export function route(ctx: GuardRequest): void {
  const { req } = ctx;
  if (req.rawHeaders.length > MAX_REQUEST_HEADERS * 2)
    throw new AppError('REQUEST.HEADERS_TOO_LARGE');
  // HTTP/1.1 requires Host (RFC 9112 §3.2); the server lets it through so this answer carries our headers.
  if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
    throw new AppError('REQUEST.VALIDATION_FAILED', {
      detail: 'The Host header is required.',
      errors: [{ pointer: '/headers/host', message: 'is required', keyword: 'required' }],
    });
  }
  const found = ctx.guard.router.match(ctx.method, ctx.path);
  ctx.route = found;
  if (found.kind === 'found') {
    ctx.plan = ctx.guard.plans.get(found.spec)!;
    ctx.surface = found.spec.surface;
    ctx.params = found.params;
  } else if (found.kind === 'method-not-allowed') {
    ctx.surface = found.specs[0]!.surface;
  }
}
