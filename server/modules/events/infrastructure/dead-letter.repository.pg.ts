import type { Queryable } from '../../../shared/db/db.js';
import { eventFromRow, OUTBOX_COLUMNS, type OutboxRow } from '../../../shared/events/delivery.js';
import type { DeadLetterRepository } from '../application/dead-letter.repository.port.js';
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

function view(row: Row): DeadLetterView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    consumer: row.consumer,
    attempts: row.attempts,
    lastError: row.last_error,
    failedAt: row.failed_at.toISOString(),
    replayedAt: row.replayed_at ? row.replayed_at.toISOString() : null,
  };
}

/** The dead-letter repository on `q`: a transaction or the pool, as the unit of work binds it. */
export function createDeadLetterRepository(queryable: Queryable): DeadLetterRepository {
  return {
    async page(
      after: { createdAt: string; id: string } | null,
      limit: number,
    ): Promise<DeadLetterView[]> {
      const result = after
        ? await queryable.query<Row>(
            `SELECT ${COLUMNS} FROM dead_letters WHERE (failed_at, id) < ($1::timestamptz, $2::uuid) ORDER BY failed_at DESC, id DESC LIMIT $3`,
            [after.createdAt, after.id, limit],
          )
        : await queryable.query<Row>(
            `SELECT ${COLUMNS} FROM dead_letters ORDER BY failed_at DESC, id DESC LIMIT $1`,
            [limit],
          );
      return result.rows.map(view);
    },
    async lock(id: string): Promise<DeadLetterView | null> {
      const result = await queryable.query<Row>(
        `SELECT ${COLUMNS} FROM dead_letters WHERE id = $1 FOR UPDATE`,
        [id],
      );
      return result.rows[0] ? view(result.rows[0]) : null;
    },
    async markReplayed(id: string, at: Date): Promise<DeadLetterView> {
      const result = await queryable.query<Row>(
        `UPDATE dead_letters SET replayed_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, at],
      );
      return view(result.rows[0]!);
    },
    async recordReplayError(id: string, error: string): Promise<void> {
      await queryable.query('UPDATE dead_letters SET last_error = $2 WHERE id = $1', [id, error]);
    },
    async findEvent(eventId: string) {
      const result = await queryable.query<OutboxRow>(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1`,
        [eventId],
      );
      return result.rows[0] ? eventFromRow(result.rows[0]) : null;
    },
    async recordDeliveryFailure(
      consumer: string,
      eventId: string,
      attempts: number,
      error: string,
      at: Date,
    ): Promise<void> {
      await queryable.query(
        'UPDATE event_deliveries SET attempts = $3, last_error = $4, updated_at = $5 WHERE consumer = $1 AND event_id = $2',
        [consumer, eventId, attempts, error, at],
      );
    },
  };
}
