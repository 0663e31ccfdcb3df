import type { Db } from '../../shared/db/db.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { RealtimeFanout, WsLifecycle } from '../../shared/realtime/realtime.port.js';
import type { Clock } from '../../shared/time/clock.js';
import { addSubLobbyMember } from './application/add-sub-lobby-member.use-case.js';
import { acceptInvitation, declineInvitation } from './application/answer-invitation.use-case.js';
import type { ChatDeps, UserDirectory } from './application/chat.ports.js';
import { createRoom } from './application/create-room.use-case.js';
import { createSubLobby } from './application/create-sub-lobby.use-case.js';
import { inviteToRoom } from './application/invite-to-room.use-case.js';
import { leaveRoom } from './application/leave-room.use-case.js';
import { listConversations } from './application/list-conversations.use-case.js';
import { listInvitations } from './application/list-invitations.use-case.js';
import { listMembers } from './application/list-members.use-case.js';
import { listMessages, type ListMessages } from './application/list-messages.use-case.js';
import { listModeration } from './application/list-moderation.use-case.js';
import { listVisitorConversations } from './application/list-visitor-conversations.use-case.js';
import { markReceipt } from './application/mark-receipt.use-case.js';
import { moderateMessage, type ModerateMessage } from './application/moderate-message.use-case.js';
import { removeMember } from './application/remove-member.use-case.js';
import {
  replayMessages,
  type Replayed,
  type ReplayOptions,
} from './application/replay-messages.use-case.js';
import {
  sendMessage,
  type SendMessage,
  type SendMessageResult,
} from './application/send-message.use-case.js';
import { setMemberRole } from './application/set-member-role.use-case.js';
import { signalTyping } from './application/signal-typing.use-case.js';
import type { ChatActor, UserActor } from './domain/chat-actor.js';
import type {
  ChatMessage,
  Conversation,
  Invitation,
  Member,
  ModerationEntry,
  VisitorConversation,
} from './domain/chat.entity.js';
import { createChatRepository } from './infrastructure/chat.repository.pg.js';
import { registerChatFanout } from './transport/chat.fanout.js';
import { purgeDeletedBodies } from './application/purge-deleted-bodies.use-case.js';
import { purgeStalePresence } from './application/track-presence.use-case.js';
import { purgeIdleGuests } from './application/purge-idle-guests.use-case.js';
import { createChatLifecycle } from './transport/chat.lifecycle.js';
import { createSocketRegistry } from './transport/chat.registry.js';
import { membersTopic, topics } from './transport/chat.topics.js';

/** Request time and ids a command carries. */
export interface ChatMeta {
  now: Date;
  requestId: string;
  correlationId?: string;
}

export interface ChatModule {
  listConversations(actor: UserActor): Promise<Conversation[]>;
  listMessages(
    actor: ChatActor,
    q: ListMessages,
  ): Promise<{ items: ChatMessage[]; hasMore: boolean }>;
  send(actor: ChatActor, cmd: SendMessage, meta: ChatMeta): Promise<SendMessageResult>;
  markReceipt(
    actor: ChatActor,
    cmd: { conversationId: string; kind: 'read' | 'delivered'; upToSeq: number },
    meta: ChatMeta,
  ): Promise<void>;
  listMembers(actor: ChatActor, conversationId: string): Promise<Member[]>;
  createRoom(actor: UserActor, cmd: { title: string }, meta: ChatMeta): Promise<Conversation>;
  inviteToRoom(
    actor: UserActor,
    cmd: { conversationId: string; userId: string },
    meta: ChatMeta,
  ): Promise<Invitation>;
  listInvitations(actor: UserActor): Promise<Invitation[]>;
  acceptInvitation(actor: UserActor, invitationId: string, meta: ChatMeta): Promise<Conversation>;
  declineInvitation(actor: UserActor, invitationId: string, meta: ChatMeta): Promise<Invitation>;
  leaveRoom(actor: UserActor, conversationId: string, meta: ChatMeta): Promise<void>;
  removeMember(
    actor: UserActor,
    cmd: { conversationId: string; userId: string },
    meta: ChatMeta,
  ): Promise<void>;
  setMemberRole(
    actor: UserActor,
    cmd: { conversationId: string; userId: string; role: 'moderator' | 'member' },
    meta: ChatMeta,
  ): Promise<Member>;
  moderate(actor: UserActor, cmd: ModerateMessage, meta: ChatMeta): Promise<ChatMessage>;
  listModeration(messageId: string): Promise<ModerationEntry[]>;
  listVisitorConversations(): Promise<VisitorConversation[]>;
  createSubLobby(
    actor: UserActor,
    cmd: { managerId: string; title: string },
    meta: ChatMeta,
  ): Promise<Conversation>;
  addSubLobbyMember(
    actor: UserActor,
    cmd: { conversationId: string; userId: string },
    meta: ChatMeta,
  ): Promise<Member>;
  /** Broadcasts an ephemeral typing indicator (6 s TTL) to the conversation's other sockets. */
  typing(
    actor: ChatActor,
    cmd: { conversationId?: string; isTyping: boolean },
    now: Date,
  ): Promise<void>;
  /** Catch-up: the messages after `afterSeq`, in order, up to `options.limit`; the seq the replay is complete up to, and whether more remain. */
  replay(
    actor: ChatActor,
    cmd: { conversationId?: string; afterSeq: number },
    emit: (m: ChatMessage) => void,
    options: ReplayOptions,
  ): Promise<Replayed>;
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
  clock: Clock;
  log: Logger;
  users: UserDirectory;
  fanout: RealtimeFanout;
  /** Announced in `session.welcome`; the WS server's ping interval. */
  heartbeatSeconds?: number;
}

export function createChatModule(deps: ChatModuleDeps): ChatModule {
  const d: ChatDeps = {
    db: deps.db,
    repo: createChatRepository(),
    users: deps.users,
    log: deps.log,
  };
  const registry = createSocketRegistry();
  registerChatFanout(deps.fanout, registry, deps.log, d);
  const lifecycle = createChatLifecycle(d, deps.fanout, registry, {
    heartbeatSeconds: deps.heartbeatSeconds ?? 25,
  });

  return {
    purgeStalePresence: (now) => purgeStalePresence(d, now),
    purgeDeletedBodies: (now, retention) => purgeDeletedBodies(d, now, retention),
    purgeIdleGuests: (now) => purgeIdleGuests(d, now),
    listConversations: (actor) => listConversations(d, actor),
    listMessages: (actor, q) => listMessages(d, actor, q),
    send: (actor, cmd, meta) => sendMessage(d, actor, cmd, meta),
    markReceipt: (actor, cmd, meta) => markReceipt(d, actor, cmd, meta),
    listMembers: (actor, id) => listMembers(d, actor, id),
    createRoom: (actor, cmd, meta) => createRoom(d, actor, cmd, meta),
    inviteToRoom: (actor, cmd, meta) => inviteToRoom(d, actor, cmd, meta),
    listInvitations: (actor) => listInvitations(d, actor),
    acceptInvitation: (actor, id, meta) => acceptInvitation(d, actor, id, meta),
    declineInvitation: (actor, id, meta) => declineInvitation(d, actor, id, meta),
    leaveRoom: (actor, id, meta) => leaveRoom(d, actor, id, meta),
    removeMember: (actor, cmd, meta) => removeMember(d, actor, cmd, meta),
    setMemberRole: (actor, cmd, meta) => setMemberRole(d, actor, cmd, meta),
    moderate: (actor, cmd, meta) => moderateMessage(d, actor, cmd, meta),
    listModeration: (id) => listModeration(d, id),
    listVisitorConversations: () => listVisitorConversations(d),
    createSubLobby: (actor, cmd, meta) => createSubLobby(d, actor, cmd, meta),
    addSubLobbyMember: (actor, cmd, meta) => addSubLobbyMember(d, actor, cmd, meta),
    async typing(actor, cmd, now) {
      const t = await signalTyping(d, actor, cmd, now);
      if (!t) return;
      const indicator = {
        conversationId: t.conversationId,
        userId: t.userId,
        displayName: t.displayName.slice(0, 120),
        isTyping: t.isTyping,
        expiresAt: t.expiresAt,
      };
      await deps.fanout.broadcast(membersTopic(t, t.conversationId), 'chat.typing', indicator);
      if (t.conversationKind === 'visitor' && t.guestId && actor.kind === 'user') {
        await deps.fanout.broadcast(topics.guest(t.guestId), 'chat.staff_typing', {
          isTyping: t.isTyping,
          expiresAt: t.expiresAt,
        });
      }
    },
    replay: (actor, cmd, emit, options) => replayMessages(d, actor, cmd, emit, options),
    lifecycle,
    consumers: [],
  };
}
