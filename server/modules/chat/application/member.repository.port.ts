import type { MemberRole } from '../domain/chat.entity.js';

export interface MemberRecord {
  userId: string;
  role: MemberRole;
  joinedAt: string;
}

/** Who belongs to each room and sub-lobby, with which role. Bound by the unit of work. */
export interface MemberRepository {
  /** The conversations the user is a member of. */
  conversationIdsOf(userId: string): Promise<string[]>;
  /** Which of `userIds` are members of the conversation now. */
  among(conversationId: string, userIds: readonly string[]): Promise<string[]>;
  find(conversationId: string, userId: string): Promise<MemberRecord | null>;
  /** False when the user is already a member. */
  insert(conversationId: string, userId: string, role: MemberRole, at: Date): Promise<boolean>;
  remove(conversationId: string, userId: string): Promise<void>;
  setRole(conversationId: string, userId: string, role: MemberRole): Promise<MemberRecord>;
  list(conversationId: string): Promise<MemberRecord[]>;
  count(conversationId: string): Promise<number>;
}
