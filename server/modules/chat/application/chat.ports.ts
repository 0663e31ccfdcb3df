import type { Db, Queryable } from '../../../shared/db/db.js';
import type { Logger } from '../../../shared/logging/logger.js';
import type {
  ChatMessage,
  Conversation,
  ConversationRecord,
  Invitation,
  InvitationStatus,
  MemberRole,
  ModerationEntry,
  VisitorConversation,
} from '../domain/chat.entity.js';

/** The users chat needs to know: names, roles and whether they are active. Identity implements it. */
export interface UserDirectory {
  findUsers(
    ids: readonly string[],
  ): Promise<{ id: string; displayName: string; role: string; status: string }[]>;
}

export interface NewMessage {
  id: string;
  conversationId: string;
  seq: number;
  sender: ChatMessage['sender'];
  clientMessageId: string;
  body: string;
  sentAt: Date;
}

export interface MemberRecord {
  userId: string;
  role: MemberRole;
  joinedAt: string;
}

export interface HistoryQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

/** Persistence of chat. Every method takes the caller's transaction or the pool. */
export interface ChatRepository {
  lobbyId(q: Queryable): Promise<string>;
  findConversation(
    q: Queryable,
    id: string,
    options?: { forUpdate?: boolean },
  ): Promise<ConversationRecord | null>;
  insertConversation(
    q: Queryable,
    c: {
      id: string;
      kind: ConversationRecord['kind'];
      title: string;
      guestId?: string;
      managerId?: string;
      createdBy?: string;
      at: Date;
    },
  ): Promise<ConversationRecord>;
  /** The caller's view of one conversation (role, read marker, unread count of others' messages). */
  conversationView(
    q: Queryable,
    record: ConversationRecord,
    readerId: string,
    role: MemberRole | null,
  ): Promise<Conversation>;
  listConversationsFor(
    q: Queryable,
    userId: string,
    includeVisitors: boolean,
  ): Promise<Conversation[]>;
  memberConversationIds(q: Queryable, userId: string): Promise<string[]>;
  /** Which of `userIds` are members of the conversation now. */
  membersAmong(q: Queryable, conversationId: string, userIds: readonly string[]): Promise<string[]>;

  findMember(q: Queryable, conversationId: string, userId: string): Promise<MemberRecord | null>;
  /** False when the user is already a member. */
  insertMember(
    q: Queryable,
    conversationId: string,
    userId: string,
    role: MemberRole,
    at: Date,
  ): Promise<boolean>;
  deleteMember(q: Queryable, conversationId: string, userId: string): Promise<void>;
  setMemberRole(
    q: Queryable,
    conversationId: string,
    userId: string,
    role: MemberRole,
  ): Promise<MemberRecord>;
  listMembers(q: Queryable, conversationId: string): Promise<MemberRecord[]>;
  countMembers(q: Queryable, conversationId: string): Promise<number>;

  findMessageByClientId(
    q: Queryable,
    conversationId: string,
    senderId: string,
    clientMessageId: string,
  ): Promise<ChatMessage | null>;
  /** Takes the next seq under the conversation's row lock and records the inbox state. */
  nextSeq(
    q: Queryable,
    conversationId: string,
    at: Date,
    visitorSide: 'guest' | 'staff' | null,
  ): Promise<ConversationRecord>;
  /** Null when (conversation, sender, clientMessageId) already exists. */
  insertMessage(q: Queryable, m: NewMessage): Promise<ChatMessage | null>;
  findMessage(
    q: Queryable,
    messageId: string,
    options?: { forUpdate?: boolean },
  ): Promise<ChatMessage | null>;
  updateMessage(
    q: Queryable,
    messageId: string,
    change: { body: string | null; editedAt?: Date; deletedAt?: Date },
  ): Promise<ChatMessage>;
  /** Ascending seq; with only `beforeSeq` (or neither) the newest `limit` below it. */
  listMessages(q: Queryable, conversationId: string, query: HistoryQuery): Promise<ChatMessage[]>;

  /** Moves a marker forward to `upToSeq`; true when it moved. Read also moves delivered. */
  advanceMarker(
    q: Queryable,
    conversationId: string,
    readerId: string,
    kind: 'read' | 'delivered',
    upToSeq: number,
  ): Promise<boolean>;

  insertModeration(q: Queryable, e: ModerationEntry & { conversationId: string }): Promise<void>;
  listModeration(q: Queryable, messageId: string): Promise<ModerationEntry[]>;

  /** Throws a unique violation (`chat_invitations_one_pending`) when one is already pending. */
  insertInvitation(
    q: Queryable,
    i: { id: string; conversationId: string; inviterId: string; inviteeId: string; at: Date },
  ): Promise<Invitation>;
  findInvitation(
    q: Queryable,
    id: string,
    options?: { forUpdate?: boolean },
  ): Promise<Invitation | null>;
  setInvitationStatus(
    q: Queryable,
    id: string,
    status: InvitationStatus,
    at: Date,
  ): Promise<Invitation>;
  listPendingInvitations(q: Queryable, inviteeId: string): Promise<Invitation[]>;
  hasPendingInvitation(q: Queryable, conversationId: string, inviteeId: string): Promise<boolean>;

  findGuest(q: Queryable, guestId: string): Promise<{ id: string; lastActiveAt: Date } | null>;
  /** Stores a guest; nothing when it is stored already. */
  insertGuest(q: Queryable, guestId: string, at: Date): Promise<void>;
  touchGuest(q: Queryable, guestId: string, at: Date): Promise<void>;
  findVisitorConversation(q: Queryable, guestId: string): Promise<ConversationRecord | null>;
  /** Stores a guest's empty visitor conversation; nothing when the guest has one already. */
  insertVisitorConversation(
    q: Queryable,
    c: { id: string; title: string; guestId: string; at: Date },
  ): Promise<void>;
  /**
   * Deletes up to `limit` guests that never wrote (an empty visitor conversation) and were last
   * active before `before`, with their conversations; how many guests.
   */
  deleteIdleGuests(q: Queryable, before: Date, limit: number): Promise<number>;
  listVisitorInbox(q: Queryable, limit: number): Promise<VisitorConversation[]>;

  /** Records an open socket; returns how many the user has now. Serialized per user. */
  addPresence(q: Queryable, connectionId: string, userId: string, at: Date): Promise<number>;
  /** Forgets a socket; returns its user and how many sockets they still have. */
  removePresence(
    q: Queryable,
    connectionId: string,
  ): Promise<{ userId: string; remaining: number } | null>;
  /** Marks these sockets' presence rows as seen now (their instance is alive). */
  refreshPresence(q: Queryable, connectionIds: readonly string[], at: Date): Promise<void>;
  /** Deletes up to `limit` presence rows not seen since `before` (their instance died); how many. */
  deleteStalePresence(q: Queryable, before: Date, limit: number): Promise<number>;
  /** Nulls up to `limit` outbox copies of the bodies of messages deleted since `deletedSince`; how many. */
  scrubDeletedBodiesFromOutbox(q: Queryable, deletedSince: Date, limit: number): Promise<number>;
  /** Nulls the texts of up to `limit` moderation entries made before `before`; how many. */
  clearModerationTexts(q: Queryable, before: Date, limit: number): Promise<number>;
}

/** What every use-case receives. */
export interface ChatDeps {
  db: Db;
  repo: ChatRepository;
  users: UserDirectory;
  log: Logger;
}
