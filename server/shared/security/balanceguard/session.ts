import { AppError } from '../../errors/app-error.js';
import { readCookie, serializeSessionCookie } from '../../http/cookies.js';
import type { SessionSurface } from '../session-port.js';
import type { RoutedRequest } from './guard-request.js';

/**
 * The session for the surface's cookie (only the cookie of this surface counts). Returns a promise
 * only when there is a session to look up, so an anonymous request stays synchronous.
 */
export function resolveSession(ctx: RoutedRequest): Promise<void> | undefined {
  const session = ctx.plan.session;
  if (!session) return undefined;
  const token = readCookie(ctx.req.headers.cookie, session.cookieName);
  if (!token) throw new AppError('AUTH.UNAUTHENTICATED');
  return lookUp(ctx, session.surface, session.cookieName, token);
}

async function lookUp(
  ctx: RoutedRequest,
  surface: SessionSurface,
  cookieName: string,
  token: string,
): Promise<void> {
  const { guard } = ctx;
  const session = await guard.sessions.resolve(surface, token, guard.clock.now());
  if (!session) {
    ctx.setCookie = serializeSessionCookie(cookieName, '', {
      maxAgeSeconds: 0,
      secure: guard.production,
    });
    throw new AppError('AUTH.UNAUTHENTICATED');
  }
  ctx.session = session;
  ctx.actor = {
    kind: 'user',
    userId: session.userId,
    role: session.role,
    permissions: session.permissions,
    sessionId: session.sessionId,
  };
}
