import type {
  Conversation,
  ConversationRecord,
  MemberRole,
  VisitorConversation,
} from '../domain/chat.entity.js';

/**
 * Conversations: the lobby, sub-lobbies, rooms and each guest's visitor conversation, with the seq
 * counter that orders their messages. Bound to a transaction or the pool by the unit of work.
 */
export interface ConversationRepository {
  lobbyId(): Promise<string>;
  find(id: string, options?: { forUpdate?: boolean }): Promise<ConversationRecord | null>;
  insert(item: {
    id: string;
    kind: ConversationRecord['kind'];
    title: string;
    guestId?: string;
    managerId?: string;
    createdBy?: string;
    at: Date;
  }): Promise<ConversationRecord>;
  /** The reader's view of one conversation (role, read marker, unread count of others' messages). */
  view(
    record: ConversationRecord,
    readerId: string,
    role: MemberRole | null,
  ): Promise<Conversation>;
  /** The lobby, the user's rooms and sub-lobbies and, for staff, visitor conversations with messages. */
  listFor(userId: string, includeVisitors: boolean): Promise<Conversation[]>;
  /** Takes the next seq under the conversation's row lock and records the inbox state. */
  nextSeq(
    conversationId: string,
    at: Date,
    visitorSide: 'guest' | 'staff' | null,
  ): Promise<ConversationRecord>;
  findVisitor(guestId: string): Promise<ConversationRecord | null>;
  /** Stores a guest's empty visitor conversation; nothing when the guest has one already. */
  insertVisitor(item: { id: string; title: string; guestId: string; at: Date }): Promise<void>;
  /** Visitor conversations with messages, waiting ones first. */
  visitorInbox(limit: number): Promise<VisitorConversation[]>;
}
