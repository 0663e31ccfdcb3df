import type { Logger } from '../../../shared/logging/logger.js';
import type {
  RealtimeFanout,
  WsConnection,
  WsLifecycle,
} from '../../../shared/realtime/realtime.port.js';
import type { ChatDeps } from '../application/chat.deps.js';
import { resolveGuest } from '../application/resolve-guest.use-case.js';
import { socketConversations } from '../application/socket-subscriptions.use-case.js';
import { socketClosed, socketOpened, socketsSeen } from '../application/track-presence.use-case.js';
import { GUEST_IDLE_MS } from '../domain/chat.entity.js';
import type { SocketRegistry } from './chat.registry.js';
import { topics } from './chat.topics.js';
import { userActorOf } from './chat.actor.js';

/** Tells the lobby a user came online or went offline; a failure is logged, not thrown. */
async function announcePresence(
  fanout: RealtimeFanout,
  part: {
    userId: string;
    displayName: string;
    status: 'online' | 'offline';
    at: Date;
    lobbyId: string;
  },
  log: Logger,
): Promise<void> {
  await fanout
    .broadcast(topics.conversation(part.lobbyId), 'chat.presence', {
      userId: part.userId,
      displayName: part.displayName,
      status: part.status,
      at: part.at.toISOString(),
    })
    .catch((err: unknown) => log.warn({ err, userId: part.userId }, 'presence broadcast failed'));
}

/** A site socket: resumes the guest of `?guest=` or starts a new one, subscribes it and welcomes it. */
async function welcomeGuest(
  deps: ChatDeps,
  connection: WsConnection,
  requested: string | null,
  now: Date,
  options: { heartbeatSeconds: number },
): Promise<void> {
  const guest = await resolveGuest(deps, requested, now);
  connection.setGuest(guest.guestId);
  connection.subscribe(topics.guest(guest.guestId));
  connection.send('session.welcome', {
    actor: { kind: 'guest', id: guest.guestId },
    heartbeatSeconds: options.heartbeatSeconds,
    guest: {
      guestId: guest.guestId,
      conversationId: guest.conversationId,
      expiresAt: new Date(guest.lastActiveAt.getTime() + GUEST_IDLE_MS).toISOString(),
      lastSeq: guest.lastSeq,
    },
  });
}

/**
 * Connection start and end for chat. Site: resumes the guest of `?guest=` or starts a new one
 * (stored with its first message, not here), subscribes `guest:<id>`.
 * Client and admin: subscribes `user:<id>`, the lobby and the user's rooms and sub-lobbies (admin
 * also `staff`), records presence and announces the first socket as online. Every connection gets
 * `session.welcome` after its subscriptions, so nothing sent after the welcome is missed.
 */
export function createChatLifecycle(
  deps: ChatDeps,
  fanout: RealtimeFanout,
  registry: SocketRegistry,
  options: { heartbeatSeconds: number },
): WsLifecycle {
  const lobbyTopics = new Map<string, string>();
  const announce = (
    userId: string,
    displayName: string,
    status: 'online' | 'offline',
    at: Date,
    lobbyId: string,
    log: Logger,
  ) => announcePresence(fanout, { userId, displayName, status, at, lobbyId }, log);

  return {
    async onConnect(
      connection: WsConnection,
      query: URLSearchParams,
      ctx: { now: Date; log: Logger },
    ) {
      if (connection.channel === 'site')
        return welcomeGuest(deps, connection, query.get('guest'), ctx.now, options);
      const actor = userActorOf(connection);
      connection.subscribe(topics.user(actor.userId));
      if (connection.channel === 'admin') connection.subscribe(topics.staff);
      registry.add(actor.userId, connection);
      const { lobbyId, conversationIds } = await socketConversations(deps, actor);
      lobbyTopics.set(connection.id, lobbyId);
      for (const id of conversationIds) connection.subscribe(topics.conversation(id));
      connection.send('session.welcome', {
        actor: { kind: 'user', id: actor.userId, role: actor.role.slice(0, 32) },
        heartbeatSeconds: options.heartbeatSeconds,
      });
      if (
        (await socketOpened(
          deps,
          { connectionId: connection.id, userId: actor.userId },
          ctx.now,
        )) === 'online'
      ) {
        await announce(actor.userId, actor.displayName, 'online', ctx.now, lobbyId, ctx.log);
      }
    },
    onDisconnect(connection: WsConnection) {
      const actor = connection.actor;
      if (connection.channel === 'site' || actor?.kind !== 'user') return;
      registry.remove(actor.userId, connection);
      const lobbyId = lobbyTopics.get(connection.id);
      lobbyTopics.delete(connection.id);
      void socketClosed(deps, connection.id)
        .then((change) =>
          change && lobbyId
            ? announce(actor.userId, actor.displayName, 'offline', new Date(), lobbyId, deps.log)
            : undefined,
        )
        .catch((err: unknown) =>
          deps.log.warn({ err, connectionId: connection.id }, 'presence cleanup failed'),
        );
    },
    onHeartbeat(now) {
      // Every user socket of this instance has a presence row (lobbyTopics holds exactly those).
      if (lobbyTopics.size === 0) return;
      void socketsSeen(deps, [...lobbyTopics.keys()], now).catch((err: unknown) =>
        deps.log.warn({ err }, 'presence refresh failed'),
      );
    },
  };
}
