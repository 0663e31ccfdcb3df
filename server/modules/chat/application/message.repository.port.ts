import type { ChatMessage } from '../domain/chat.entity.js';

export interface NewMessage {
  id: string;
  conversationId: string;
  seq: number;
  sender: ChatMessage['sender'];
  clientMessageId: string;
  body: string;
  sentAt: Date;
}

export interface HistoryQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

/** Messages, each with its gapless seq in its conversation. Bound by the unit of work. */
export interface MessageRepository {
  findByClientId(
    conversationId: string,
    senderId: string,
    clientMessageId: string,
  ): Promise<ChatMessage | null>;
  /** Null when (conversation, sender, clientMessageId) already exists. */
  insert(newMessage: NewMessage): Promise<ChatMessage | null>;
  find(messageId: string, options?: { forUpdate?: boolean }): Promise<ChatMessage | null>;
  update(
    messageId: string,
    change: { body: string | null; editedAt?: Date; deletedAt?: Date },
  ): Promise<ChatMessage>;
  /** Ascending seq; with only `beforeSeq` (or neither) the newest `limit` below it. */
  list(conversationId: string, query: HistoryQuery): Promise<ChatMessage[]>;
  /** Nulls up to `limit` outbox copies of the bodies of messages deleted since `deletedSince`; how many. */
  scrubDeletedBodiesFromOutbox(deletedSince: Date, limit: number): Promise<number>;
}
