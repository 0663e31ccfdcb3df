import type { Queryable } from '../../../shared/db/db.js';
import type { PresenceRepository } from '../application/presence.repository.port.js';

/** Presence on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPresenceRepository(queryable: Queryable): PresenceRepository {
  return {
    async add(connectionId, userId, at) {
      await queryable.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [userId]);
      await queryable.query(
        'INSERT INTO chat_presence (connection_id, user_id, connected_at, seen_at) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING',
        [connectionId, userId, at],
      );
      const { rows } = await queryable.query<{ n: number }>(
        'SELECT count(*) AS n FROM chat_presence WHERE user_id = $1',
        [userId],
      );
      return Number(rows[0]!.n);
    },
    async remove(connectionId) {
      const { rows } = await queryable.query<{ user_id: string }>(
        'SELECT user_id FROM chat_presence WHERE connection_id = $1',
        [connectionId],
      );
      const userId = rows[0]?.user_id;
      if (!userId) return null;
      await queryable.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [userId]);
      await queryable.query('DELETE FROM chat_presence WHERE connection_id = $1', [connectionId]);
      const left = await queryable.query<{ n: number }>(
        'SELECT count(*) AS n FROM chat_presence WHERE user_id = $1',
        [userId],
      );
      return { userId, remaining: Number(left.rows[0]!.n) };
    },
    async refresh(connectionIds, at) {
      if (connectionIds.length === 0) return;
      await queryable.query(
        'UPDATE chat_presence SET seen_at = $2 WHERE connection_id = ANY($1::text[])',
        [connectionIds, at],
      );
    },
    async deleteStale(before, limit) {
      const result = await queryable.query(
        'DELETE FROM chat_presence WHERE connection_id IN (SELECT connection_id FROM chat_presence WHERE seen_at < $1 LIMIT $2)',
        [before, limit],
      );
      return result.rowCount ?? 0;
    },
  };
}
