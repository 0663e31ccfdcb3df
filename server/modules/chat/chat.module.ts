import type { WsHandlers } from '../../../generated/v1/ws-events.js';
import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Logger } from '../../shared/logging/logger.js';
import type {
  RealtimeFanout,
  WsContext,
  WsLifecycle,
} from '../../shared/realtime/realtime.port.js';
import type { ChatDeps } from './application/chat.deps.js';
import { purgeDeletedBodies } from './application/purge-deleted-bodies.use-case.js';
import { purgeIdleGuests } from './application/purge-idle-guests.use-case.js';
import { purgeStalePresence } from './application/track-presence.use-case.js';
import type { UserDirectory } from './application/user-directory.port.js';
import { createConversationRepository } from './infrastructure/conversation.repository.pg.js';
import { createGuestRepository } from './infrastructure/guest.repository.pg.js';
import { createInvitationRepository } from './infrastructure/invitation.repository.pg.js';
import { createMemberRepository } from './infrastructure/member.repository.pg.js';
import { createMessageRepository } from './infrastructure/message.repository.pg.js';
import { createModerationRepository } from './infrastructure/moderation.repository.pg.js';
import { createPresenceRepository } from './infrastructure/presence.repository.pg.js';
import { createReceiptRepository } from './infrastructure/receipt.repository.pg.js';
import { registerChatFanout } from './transport/chat.fanout.js';
import { chatHttp, type ChatOperations } from './transport/chat.http.js';
import { createChatLifecycle } from './transport/chat.lifecycle.js';
import { createSocketRegistry } from './transport/chat.registry.js';
import { chatWs } from './transport/chat.ws.js';

export interface ChatModule {
  readonly http: ChatOperations;
  /** Every inbound frame of every channel (WSGuard has validated and authorized it). */
  readonly ws: WsHandlers<WsContext>;
  /** Connection hooks for the WS server (subscriptions, welcome, guests, presence). */
  readonly lifecycle: WsLifecycle;
  /** In-process reactions to other events; chat keeps its inbox in the send transaction, so none. */
  readonly consumers: EventConsumer[];
  /** Housekeeping: deletes presence rows their instance stopped refreshing (it died with sockets open). */
  purgeStalePresence(now: Date): Promise<number>;
  /** Housekeeping: nulls deleted messages' bodies in the outbox, and moderation texts past their retention. */
  purgeDeletedBodies(
    now: Date,
    retention: { moderationTextMs: number; deletedSince: Date },
  ): Promise<{ outboxCopies: number; moderationTexts: number }>;
  /** Housekeeping: deletes guests idle for an hour that never wrote, with their empty conversations; how many guests. */
  purgeIdleGuests(now: Date): Promise<number>;
}

export interface ChatModuleDeps {
  db: Db;
  log: Logger;
  users: UserDirectory;
  fanout: RealtimeFanout;
  /** Announced in `session.welcome`; the WS server's ping interval. */
  heartbeatSeconds?: number;
}

export function createChatModule(deps: ChatModuleDeps): ChatModule {
  const chatDeps: ChatDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({
      conversations: createConversationRepository(queryable),
      members: createMemberRepository(queryable),
      messages: createMessageRepository(queryable),
      receipts: createReceiptRepository(queryable),
      moderation: createModerationRepository(queryable),
      invitations: createInvitationRepository(queryable),
      guests: createGuestRepository(queryable),
      presence: createPresenceRepository(queryable),
    })),
    users: deps.users,
    log: deps.log,
  };
  const registry = createSocketRegistry();
  registerChatFanout(deps.fanout, registry, deps.log, chatDeps);
  return {
    http: chatHttp(chatDeps),
    ws: chatWs(chatDeps, deps.fanout),
    lifecycle: createChatLifecycle(chatDeps, deps.fanout, registry, {
      heartbeatSeconds: deps.heartbeatSeconds ?? 25,
    }),
    consumers: [],
    purgeStalePresence: (now) => purgeStalePresence(chatDeps, now),
    purgeDeletedBodies: (now, retention) => purgeDeletedBodies(chatDeps, now, retention),
    purgeIdleGuests: (now) => purgeIdleGuests(chatDeps, now),
  };
}
