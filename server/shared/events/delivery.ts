import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/db.js';
import type { DomainEvent } from './domain-event.js';
import type { EventConsumer } from './event-consumer.js';

/** An outbox row as the relay reads it. */
export interface OutboxRow {
  id: string;
  type: string;
  occurred_at: Date;
  schema_version: number;
  payload: Record<string, unknown>;
  metadata: DomainEvent['metadata'];
}

export function eventFromRow(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    schemaVersion: row.schema_version,
    payload: row.payload,
    metadata: row.metadata ?? {},
  };
}

export const OUTBOX_COLUMNS = 'id, type, occurred_at, schema_version, payload, metadata';

/** What happened when a consumer was handed an event. */
export type DeliveryOutcome = { ok: true; skipped: boolean } | { ok: false; error: string };

/** Error text safe to store: first line, bounded (the dead-letter schema caps it at 2,000). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 2000) || 'Error';
}

/**
 * Hands one event to one consumer inside `tx`, under a savepoint: the consumer's writes and the
 * `processed` record commit together or not at all, and a consumer that throws midway leaves
 * nothing behind (the savepoint is rolled back, the caller's transaction stays usable). An event
 * the consumer already processed is skipped.
 * @example
 * const outcome = await deliverOnce(tx, consumer, event, clock.now());
 */
export async function deliverOnce(
  tx: Tx,
  consumer: EventConsumer,
  event: DomainEvent,
  now: Date,
): Promise<DeliveryOutcome> {
  const done = await tx.query<{ status: string }>(
    'SELECT status FROM event_deliveries WHERE consumer = $1 AND event_id = $2 FOR UPDATE',
    [consumer.name, event.id],
  );
  if (done.rows[0]?.status === 'processed') return { ok: true, skipped: true };
  await tx.query('SAVEPOINT bk_delivery');
  try {
    await consumer.handle(event, tx);
    await tx.query(
      `INSERT INTO event_deliveries (consumer, event_id, status, attempts, next_attempt_at, last_error, updated_at)
       VALUES ($1, $2, 'processed', 1, NULL, NULL, $3)
       ON CONFLICT (consumer, event_id) DO UPDATE SET status = 'processed', attempts = event_deliveries.attempts + 1, next_attempt_at = NULL, updated_at = $3`,
      [consumer.name, event.id, now],
    );
    await tx.query('RELEASE SAVEPOINT bk_delivery');
    return { ok: true, skipped: false };
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT bk_delivery');
    return { ok: false, error: errorText(err) };
  }
}

/** Writes a dead letter for a consumer's last failure; returns its id. */
export async function insertDeadLetter(
  tx: Tx,
  data: { event: DomainEvent; consumer: string; attempts: number; error: string; at: Date },
): Promise<string> {
  const id = randomUUID();
  await tx.query(
    'INSERT INTO dead_letters (id, event_id, event_type, consumer, attempts, last_error, failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      id,
      data.event.id,
      data.event.type,
      data.consumer,
      Math.max(1, data.attempts),
      data.error,
      data.at,
    ],
  );
  return id;
}
