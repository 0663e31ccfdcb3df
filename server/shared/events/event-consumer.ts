import type { Tx } from '../db/db.js';
import type { DomainEvent } from './domain-event.js';

/**
 * An in-process subscriber to committed domain events (another module's reaction). The outbox
 * relay hands it every event of its types at least once, across all instances exactly one
 * instance at a time; it records `(consumer, eventId)` in the same transaction as `tx`, so a
 * handler that writes only through `tx` takes effect exactly once. Failures are retried with
 * exponential backoff and end in the dead-letter table after the last attempt.
 * Packs settles a purchase when billing reports the payment, its writes joining `tx` (see
 * packs.module.ts).
 * @example
 * const consumer: EventConsumer = {
 *   name: 'packs.billing-facts',
 *   types: ['billing.payment_succeeded'],
 *   async handle(event, tx) {
 *     await tx.query('UPDATE pack_purchases ...', [event.payload.transactionId]);
 *   },
 * };
 */
export interface EventConsumer {
  /** Stable name: it keys the processed-event records and dead letters. */
  readonly name: string;
  readonly types: readonly string[];
  handle(event: DomainEvent, tx: Tx): Promise<void>;
}
