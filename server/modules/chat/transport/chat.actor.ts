import { AppError } from '../../../shared/errors/app-error.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { WsConnection } from '../../../shared/realtime/realtime.port.js';
import type { ChatActor, UserActor } from '../domain/chat-actor.js';

/** The signed-in user behind an HTTP request; BalanceGuard has already required the session. */
export function actorOfRequest(ctx: RequestContext): UserActor {
  const s = ctx.session;
  if (!s) throw new AppError('AUTH.UNAUTHENTICATED');
  return {
    kind: 'user',
    userId: s.userId,
    displayName: s.displayName,
    role: s.role,
    surface: ctx.surface === 'admin' ? 'admin' : 'client',
    permissions: s.permissions,
  };
}

/** The signed-in user behind a client or admin socket (WSGuard set it). */
export function userActorOf(connection: WsConnection): UserActor {
  const a = connection.actor;
  if (connection.channel === 'site' || a?.kind !== 'user')
    throw new AppError('AUTH.UNAUTHENTICATED');
  return {
    kind: 'user',
    userId: a.userId,
    displayName: a.displayName,
    role: a.role,
    surface: connection.channel,
    permissions: a.permissions,
  };
}

/** The guest behind a site socket (the lifecycle set it on connect). */
export function guestActorOf(connection: WsConnection): ChatActor {
  const a = connection.actor;
  if (connection.channel !== 'site' || a?.kind !== 'guest')
    throw new AppError('AUTH.UNAUTHENTICATED');
  return { kind: 'guest', guestId: a.guestId };
}
