import type { Db } from '../db/db.js';
import { deleteInBatches } from '../jobs/housekeeping.js';

/**
 * Housekeeping: deletes outbox rows published before `before`, with their delivery records (the
 * processed-event ids only guard against a second delivery of a row that still exists). Kept
 * whatever their age: unpublished rows (not delivered yet) and rows an unreplayed dead letter
 * points at (a replay hands that event to its consumer again). Rows a relay holds are skipped.
 * @example
 * await purgePublishedOutbox(db, new Date(now.getTime() - config.retentionPublishedOutboxMs));
 */
export async function purgePublishedOutbox(
  db: Db,
  before: Date,
): Promise<{ events: number; deliveries: number }> {
  let deliveries = 0;
  const events = await deleteInBatches((limit) =>
    db.tx(async (tx) => {
      const claimed = await tx.query<{ id: string }>(
        `SELECT o.id FROM outbox o
          WHERE o.published_at < $1
            AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.event_id = o.id AND d.replayed_at IS NULL)
          ORDER BY o.published_at
          LIMIT $2
          FOR UPDATE OF o SKIP LOCKED`,
        [before, limit],
      );
      const ids = claimed.rows.map((row) => row.id);
      if (ids.length === 0) return 0;
      deliveries += (
        await tx.query('DELETE FROM event_deliveries WHERE event_id = ANY($1::uuid[])', [ids])
      ).rowCount;
      return (await tx.query('DELETE FROM outbox WHERE id = ANY($1::uuid[])', [ids])).rowCount;
    }),
  );
  return { events, deliveries };
}
