import type { Queryable } from '../../../shared/db/db.js';
import type { DeadLetterView } from '../domain/dead-letter.js';

interface Row {
  id: string;
  event_id: string;
  event_type: string;
  consumer: string;
  attempts: number;
  last_error: string;
  failed_at: Date;
  replayed_at: Date | null;
}

const COLUMNS = 'id, event_id, event_type, consumer, attempts, last_error, failed_at, replayed_at';

function view(r: Row): DeadLetterView {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    consumer: r.consumer,
    attempts: r.attempts,
    lastError: r.last_error,
    failedAt: r.failed_at.toISOString(),
    replayedAt: r.replayed_at ? r.replayed_at.toISOString() : null,
  };
}

export const deadLetterRepository = {
  /** Newest first, keyset after (failedAt, id). */
  async page(q: Queryable, after: { createdAt: string; id: string } | null, limit: number): Promise<DeadLetterView[]> {
    const r = after
      ? await q.query<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE (failed_at, id) < ($1::timestamptz, $2::uuid) ORDER BY failed_at DESC, id DESC LIMIT $3`, [after.createdAt, after.id, limit])
      : await q.query<Row>(`SELECT ${COLUMNS} FROM dead_letters ORDER BY failed_at DESC, id DESC LIMIT $1`, [limit]);
    return r.rows.map(view);
  },
  async lock(q: Queryable, id: string): Promise<DeadLetterView | null> {
    const r = await q.query<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1 FOR UPDATE`, [id]);
    return r.rows[0] ? view(r.rows[0]) : null;
  },
  async markReplayed(q: Queryable, id: string, at: Date): Promise<DeadLetterView> {
    const r = await q.query<Row>(`UPDATE dead_letters SET replayed_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, at]);
    return view(r.rows[0]!);
  },
};
