import type { Tx } from '../db/db.js';
import type { DomainEvent } from './domain-event.js';

/**
 * Writes an event to the outbox inside the caller's transaction: it is published if and only if
 * the state change commits. Use-cases reach it through their unit of work (`appendEvent`).
 * @example
 * await db.tx(async (tx) => { await repo.insert(tx, enquiry); await appendToOutbox(tx, event); });
 */
export async function appendToOutbox(tx: Tx, event: DomainEvent): Promise<void> {
  await tx.query(
    'INSERT INTO outbox (id, type, occurred_at, schema_version, payload, metadata) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      event.id,
      event.type,
      event.occurredAt,
      event.schemaVersion,
      JSON.stringify(event.payload),
      JSON.stringify(event.metadata),
    ],
  );
  // Wakes relays in every instance; the payload is only a hint, the table is the truth.
  await tx.query("SELECT pg_notify('bk_outbox', $1)", [event.type]);
}
