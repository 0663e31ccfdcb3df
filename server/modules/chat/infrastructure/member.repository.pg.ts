import type { Queryable } from '../../../shared/db/db.js';
import type { MemberRecord, MemberRepository } from '../application/member.repository.port.js';
import type { MemberRole } from '../domain/chat.entity.js';

function toMember(result: { user_id: string; role: MemberRole; joined_at: Date }): MemberRecord {
  return { userId: result.user_id, role: result.role, joinedAt: result.joined_at.toISOString() };
}

/** Members on `q`: a transaction or the pool, as the unit of work binds it. */
export function createMemberRepository(queryable: Queryable): MemberRepository {
  return {
    async conversationIdsOf(userId) {
      const { rows } = await queryable.query<{ conversation_id: string }>(
        'SELECT conversation_id FROM chat_members WHERE user_id = $1',
        [userId],
      );
      return rows.map((row) => row.conversation_id);
    },
    async among(conversationId, userIds) {
      const { rows } = await queryable.query<{ user_id: string }>(
        'SELECT user_id FROM chat_members WHERE conversation_id = $1 AND user_id = ANY($2::uuid[])',
        [conversationId, userIds],
      );
      return rows.map((row) => row.user_id);
    },
    async find(conversationId, userId) {
      const { rows } = await queryable.query<{
        user_id: string;
        role: MemberRole;
        joined_at: Date;
      }>(
        'SELECT user_id, role, joined_at FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
        [conversationId, userId],
      );
      return rows[0] ? toMember(rows[0]) : null;
    },
    async insert(conversationId, userId, role, at) {
      const result = await queryable.query(
        'INSERT INTO chat_members (conversation_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [conversationId, userId, role, at],
      );
      return result.rowCount === 1;
    },
    async remove(conversationId, userId) {
      await queryable.query(
        'DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
        [conversationId, userId],
      );
    },
    async setRole(conversationId, userId, role) {
      const { rows } = await queryable.query<{
        user_id: string;
        role: MemberRole;
        joined_at: Date;
      }>(
        'UPDATE chat_members SET role = $3 WHERE conversation_id = $1 AND user_id = $2 RETURNING user_id, role, joined_at',
        [conversationId, userId, role],
      );
      return toMember(rows[0]!);
    },
    async list(conversationId) {
      const { rows } = await queryable.query<{
        user_id: string;
        role: MemberRole;
        joined_at: Date;
      }>(
        "SELECT user_id, role, joined_at FROM chat_members WHERE conversation_id = $1 ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, joined_at, user_id LIMIT 1000",
        [conversationId],
      );
      return rows.map(toMember);
    },
    async count(conversationId) {
      const { rows } = await queryable.query<{ n: number }>(
        'SELECT count(*) AS n FROM chat_members WHERE conversation_id = $1',
        [conversationId],
      );
      return Number(rows[0]!.n);
    },
  };
}
