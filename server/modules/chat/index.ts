/**
 * Chat: the lobby, sub-lobbies, invite-only rooms and the site's visitor conversations, over HTTP
 * and WebSockets, with idempotent sends, gapless per-conversation seqs, receipts, typing, presence,
 * moderation with an audit trail and catch-up after a reconnect.
 * @example
 * const chat = createChatModule({ db, clock, log, users: identity, fanout });
 * const handlers = { ...chatHttp(chat) };
 * const wsHandlers = chatWs(chat); // and chat.lifecycle for onConnect/onDisconnect
 */
export {
  createChatModule,
  type ChatModule,
  type ChatModuleDeps,
  type ChatMeta,
} from './chat.module.js';
export { chatHttp, type ChatOperations } from './transport/chat.http.js';
export { chatWs } from './transport/chat.ws.js';
export type { UserDirectory } from './application/chat.ports.js';
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
