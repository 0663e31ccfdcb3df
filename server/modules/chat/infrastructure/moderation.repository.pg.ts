import type { Queryable } from '../../../shared/db/db.js';
import type { ModerationRepository } from '../application/moderation.repository.port.js';
import type { ModerationEntry } from '../domain/chat.entity.js';

/** The moderation trail on `q`: a transaction or the pool, as the unit of work binds it. */
export function createModerationRepository(q: Queryable): ModerationRepository {
  return {
    async insert(e) {
      await q.query(
        'INSERT INTO chat_moderation (id, message_id, conversation_id, actor_id, action, before, after, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          e.id,
          e.messageId,
          e.conversationId,
          e.actorId,
          e.action,
          e.before,
          e.after,
          e.reason,
          e.at,
        ],
      );
    },
    async list(messageId) {
      const { rows } = await q.query<{
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
      return rows.map((r): ModerationEntry => ({
        id: r.id,
        messageId: r.message_id,
        actorId: r.actor_id,
        action: r.action,
        before: r.before,
        after: r.after,
        reason: r.reason,
        at: r.at.toISOString(),
      }));
    },
    async clearTexts(before, limit) {
      const r = await q.query(
        'UPDATE chat_moderation SET before = NULL, after = NULL WHERE id IN (SELECT id FROM chat_moderation WHERE at < $1 AND (before IS NOT NULL OR after IS NOT NULL) LIMIT $2)',
        [before, limit],
      );
      return r.rowCount ?? 0;
    },
  };
}
