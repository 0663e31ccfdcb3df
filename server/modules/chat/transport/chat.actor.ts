import { AppError } from '../../../shared/errors/app-error.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { WsConnection } from '../../../shared/realtime/realtime.port.js';
import type { ChatActor, UserActor } from '../domain/chat-actor.js';

/** The signed-in user behind an HTTP request; BalanceGuard has already required the session. */
export function actorOfRequest(ctx: RequestContext): UserActor {
  const sessionInfo = ctx.session;
  if (!sessionInfo) throw new AppError('AUTH.UNAUTHENTICATED');
  return {
    kind: 'user',
    userId: sessionInfo.userId,
    displayName: sessionInfo.displayName,
    role: sessionInfo.role,
    surface: ctx.surface === 'admin' ? 'admin' : 'client',
    permissions: sessionInfo.permissions,
  };
}

/** The signed-in user behind a client or admin socket (WSGuard set it). */
export function userActorOf(connection: WsConnection): UserActor {
  const first = connection.actor;
  if (connection.channel === 'site' || first?.kind !== 'user')
    throw new AppError('AUTH.UNAUTHENTICATED');
  return {
    kind: 'user',
    userId: first.userId,
    displayName: first.displayName,
    role: first.role,
    surface: connection.channel,
    permissions: first.permissions,
  };
}

/** The guest behind a site socket (the lifecycle set it on connect). */
export function guestActorOf(connection: WsConnection): ChatActor {
  const first = connection.actor;
  if (connection.channel !== 'site' || first?.kind !== 'guest')
    throw new AppError('AUTH.UNAUTHENTICATED');
  return { kind: 'guest', guestId: first.guestId };
}
