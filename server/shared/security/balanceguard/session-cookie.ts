import type { SessionSurface } from '../session-port.js';

/**
 * The surface's session cookie name: `__Host-` prefixed in production. BalanceGuard and WSGuard
 * read the same cookie.
 * @example
 * readCookie(req.headers.cookie, sessionCookieName('admin', config.env === 'production'));
 */
export function sessionCookieName(surface: SessionSurface, production: boolean): string {
  return `${production ? '__Host-' : ''}bk_${surface}_session`;
}
