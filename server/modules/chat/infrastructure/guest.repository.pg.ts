import type { Queryable } from '../../../shared/db/db.js';
import type { GuestRepository } from '../application/guest.repository.port.js';

/** Guests on `q`: a transaction or the pool, as the unit of work binds it. */
export function createGuestRepository(queryable: Queryable): GuestRepository {
  return {
    async find(guestId) {
      const { rows } = await queryable.query<{ id: string; last_active_at: Date }>(
        'SELECT id, last_active_at FROM chat_guests WHERE id = $1',
        [guestId],
      );
      return rows[0] ? { id: rows[0].id, lastActiveAt: rows[0].last_active_at } : null;
    },
    async insert(guestId, at) {
      await queryable.query(
        'INSERT INTO chat_guests (id, created_at, last_active_at) VALUES ($1, $2, $2) ON CONFLICT (id) DO NOTHING',
        [guestId, at],
      );
    },
    async touch(guestId, at) {
      await queryable.query(
        'UPDATE chat_guests SET last_active_at = GREATEST(last_active_at, $2) WHERE id = $1',
        [guestId, at],
      );
    },
    async deleteIdle(before, limit) {
      // Locked and checked in one statement, so a guest that writes meanwhile is skipped or waited for.
      const { rowCount } = await queryable.query(
        `WITH idle AS (
           SELECT g.id AS guest_id, c.id AS conversation_id FROM chat_guests g JOIN chat_conversations c ON c.guest_id = g.id
            WHERE g.last_active_at < $1 AND c.last_seq = 0
            ORDER BY g.last_active_at LIMIT $2 FOR UPDATE OF g, c SKIP LOCKED
         ), markers AS (
           DELETE FROM chat_read_markers WHERE conversation_id IN (SELECT conversation_id FROM idle)
         ), conversations AS (
           DELETE FROM chat_conversations WHERE id IN (SELECT conversation_id FROM idle)
         )
         DELETE FROM chat_guests WHERE id IN (SELECT guest_id FROM idle)`,
        [before, limit],
      );
      return rowCount ?? 0;
    },
  };
}
