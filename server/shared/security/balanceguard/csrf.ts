import { safeEqual } from '../../crypto/tokens.js';
import { AppError } from '../../errors/app-error.js';
import type { RoutedRequest } from './guard-request.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF: an unsafe request on a cookie session needs the surface's exact Origin and the session's
 * token. Anonymous unsafe requests from a browser must still come from an allowed origin.
 */
export function csrf(ctx: RoutedRequest): void {
  const { origins, needsCsrfToken } = ctx.plan;
  if (origins === null || !UNSAFE_METHODS.has(ctx.method)) return;
  const origin = ctx.req.headers.origin;
  if (ctx.session) {
    if (origin === undefined || !origins.includes(origin))
      throw new AppError('AUTH.CSRF_FAILED', {
        detail: 'The Origin header is missing or not allowed.',
      });
    const token = ctx.req.headers['x-csrf-token'];
    if (needsCsrfToken && (typeof token !== 'string' || !safeEqual(token, ctx.session.csrfToken)))
      throw new AppError('AUTH.CSRF_FAILED', {
        detail: 'The X-CSRF-Token header is missing or wrong.',
      });
  } else if (origin !== undefined && !origins.includes(origin)) {
    throw new AppError('AUTH.ORIGIN_NOT_ALLOWED');
  }
}
