import type { ModerationEntry } from '../domain/chat.entity.js';

/** The moderation trail of each message: who edited or deleted it, why, and the texts. */
export interface ModerationRepository {
  insert(entry: ModerationEntry & { conversationId: string }): Promise<void>;
  list(messageId: string): Promise<ModerationEntry[]>;
  /** Nulls the texts of up to `limit` entries made before `before`; how many. */
  clearTexts(before: Date, limit: number): Promise<number>;
}
