import type { Queryable } from '../../../shared/db/db.js';
import type { ModerationRepository } from '../application/moderation.repository.port.js';
import type { ModerationEntry } from '../domain/chat.entity.js';

/** The moderation trail on `q`: a transaction or the pool, as the unit of work binds it. */
export function createModerationRepository(queryable: Queryable): ModerationRepository {
  return {
    async insert(entry) {
      await queryable.query(
        'INSERT INTO chat_moderation (id, message_id, conversation_id, actor_id, action, before, after, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          entry.id,
          entry.messageId,
          entry.conversationId,
          entry.actorId,
          entry.action,
          entry.before,
          entry.after,
          entry.reason,
          entry.at,
        ],
      );
    },
    async list(messageId) {
      const { rows } = await queryable.query<{
        id: string;
        message_id: string;
        actor_id: string;
        action: 'edit' | 'delete';
        before: string | null;
        after: string | null;
        reason: string;
        at: Date;
      }>(
        // The contract bounds the trail (ModerationTrail: maxItems 1000): the first entries, the original text among them.
        'SELECT id, message_id, actor_id, action, before, after, reason, at FROM chat_moderation WHERE message_id = $1 ORDER BY position ASC LIMIT 1000',
        [messageId],
      );
      return rows.map((row): ModerationEntry => ({
        id: row.id,
        messageId: row.message_id,
        actorId: row.actor_id,
        action: row.action,
        before: row.before,
        after: row.after,
        reason: row.reason,
        at: row.at.toISOString(),
      }));
    },
    async clearTexts(before, limit) {
      const result = await queryable.query(
        'UPDATE chat_moderation SET before = NULL, after = NULL WHERE id IN (SELECT id FROM chat_moderation WHERE at < $1 AND (before IS NOT NULL OR after IS NOT NULL) LIMIT $2)',
        [before, limit],
      );
      return result.rowCount ?? 0;
    },
  };
}
