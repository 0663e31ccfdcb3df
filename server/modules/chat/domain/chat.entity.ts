/** The contract's chat shapes, as the module hands them to transport. */

export type ConversationKind = 'lobby' | 'sub_lobby' | 'room' | 'visitor';
export type MemberRole = 'owner' | 'moderator' | 'member';
export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked';

export interface ChatSender {
  kind: 'user' | 'guest';
  id: string;
  displayName: string;
}

export interface ChatMessage {
  messageId: string;
  conversationId: string;
  seq: number;
  sender: ChatSender;
  body: string | null;
  clientMessageId: string;
  sentAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export interface Conversation {
  conversationId: string;
  kind: ConversationKind;
  title: string;
  myRole: MemberRole | null;
  lastSeq: number;
  lastReadSeq: number;
  unreadCount: number;
  createdAt: string;
}

export interface Member {
  userId: string;
  displayName: string;
  role: MemberRole;
  joinedAt: string;
}

export interface Invitation {
  invitationId: string;
  conversationId: string;
  conversationTitle: string;
  inviterId: string;
  inviteeId: string;
  status: InvitationStatus;
  createdAt: string;
}

export interface ModerationEntry {
  id: string;
  messageId: string;
  actorId: string;
  action: 'edit' | 'delete';
  before: string | null;
  after: string | null;
  reason: string;
  at: string;
}

/** A row of the admin visitor inbox. `unreadCount`: visitor messages since the last staff reply. */
export interface VisitorConversation {
  conversationId: string;
  guestId: string;
  status: 'waiting' | 'answered';
  lastSeq: number;
  unreadCount: number;
  lastMessageAt: string;
}

/** A conversation row as stored (no per-caller fields). */
export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  title: string;
  lastSeq: number;
  lastMessageAt: string | null;
  guestId: string | null;
  managerId: string | null;
  visitorStatus: 'waiting' | 'answered' | null;
  visitorUnanswered: number;
  createdAt: string;
}

export interface GuestSession {
  guestId: string;
  conversationId: string;
  lastActiveAt: Date;
  lastSeq: number;
}

/** How long a site guest lives without activity. */
export const GUEST_IDLE_MS = 60 * 60_000;
/** How long a typing indicator shows without a repeat. */
export const TYPING_TTL_MS = 6_000;
/** The most messages one history page or one replay batch holds. */
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;
/** The most messages one `chat.resume` replays, across its conversations; the rest by paging or another resume. */
export const RESUME_MAX_MESSAGES = 200;
export const VISITOR_DISPLAY_NAME = 'Visitor';

export function visitorTitle(guestId: string): string {
  return `Visitor ${guestId.slice(0, 8)}`;
}

/** The inbox row of a visitor conversation. */
export function toVisitorRow(conversationRecord: ConversationRecord): VisitorConversation {
  return {
    conversationId: conversationRecord.id,
    guestId: conversationRecord.guestId!,
    status: conversationRecord.visitorStatus ?? 'waiting',
    lastSeq: conversationRecord.lastSeq,
    unreadCount: conversationRecord.visitorUnanswered,
    lastMessageAt: conversationRecord.lastMessageAt ?? conversationRecord.createdAt,
  };
}
