/**
 * Chat: the lobby, sub-lobbies, invite-only rooms and the site's visitor conversations, over HTTP
 * and WebSockets, with idempotent sends, gapless per-conversation seqs, receipts, typing, presence,
 * moderation with an audit trail and catch-up after a reconnect.
 * @example
 * const chat = createChatModule({ db, log, users: identity, fanout });
 * const handlers = { ...chat.http, ...otherHandlers };
 * const wsHandlers = chat.ws; // and chat.lifecycle for onConnect/onDisconnect
 */
export { createChatModule, type ChatModule, type ChatModuleDeps } from './chat.module.js';
export type { ChatMeta } from './application/chat.deps.js';
export type { ChatOperations } from './transport/chat.http.js';
export type { UserDirectory } from './application/user-directory.port.js';
export { CHAT_EVENTS } from './domain/chat.events.js';
export type {
  MessagePostedPayload,
  MessageUpdatedPayload,
  MembershipChangedPayload,
  InvitationCreatedPayload,
  ReceiptPayload,
} from './domain/chat.events.js';
export type {
  ChatMessage,
  Conversation,
  Member,
  Invitation,
  ModerationEntry,
  VisitorConversation,
} from './domain/chat.entity.js';
