import type { Db } from '../../../shared/db/db.js';
import { deliverOnce, eventFromRow, insertDeadLetter, OUTBOX_COLUMNS, type OutboxRow } from '../../../shared/events/delivery.js';
import type { EventConsumer } from '../../../shared/events/event-consumer.js';
import type { Logger } from '../../../shared/logging/logger.js';
import { DeadLetterAlreadyReplayed, DeadLetterNotFound, type DeadLetterView } from '../domain/dead-letter.js';
import { deadLetterRepository } from '../infrastructure/dead-letter.repository.pg.js';

/**
 * Hands a dead letter's event to its consumer once more, in one transaction with the consumer's
 * writes and its processed record (an event the consumer has processed since is not applied
 * again). The dead letter is then marked replayed; if the consumer fails again, that failure is
 * recorded as a new dead letter.
 */
export async function replayDeadLetter(deps: { db: Db; log: Logger; consumers: ReadonlyMap<string, EventConsumer> }, id: string, now: Date): Promise<DeadLetterView> {
  return deps.db.tx(async (tx) => {
    const dl = await deadLetterRepository.lock(tx, id);
    if (!dl) throw new DeadLetterNotFound();
    if (dl.replayedAt !== null) throw new DeadLetterAlreadyReplayed();
    const row = await tx.query<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1`, [dl.eventId]);
    const consumer = deps.consumers.get(dl.consumer);
    if (!row.rows[0] || !consumer) {
      // The event was purged or the consumer no longer exists: nothing can run; record why.
      const error = !row.rows[0] ? 'replay: the event is no longer in the outbox' : `replay: no consumer named ${dl.consumer} is registered`;
      await tx.query("UPDATE dead_letters SET last_error = $2 WHERE id = $1", [id, error]);
      deps.log.error({ deadLetterId: id, consumer: dl.consumer, eventId: dl.eventId }, error);
      return deadLetterRepository.markReplayed(tx, id, now);
    }
    const event = eventFromRow(row.rows[0]);
    const outcome = await deliverOnce(tx, consumer, event, now);
    if (!outcome.ok) {
      const next = await insertDeadLetter(tx, { event, consumer: consumer.name, attempts: dl.attempts + 1, error: outcome.error, at: now });
      await tx.query("UPDATE event_deliveries SET attempts = $3, last_error = $4, updated_at = $5 WHERE consumer = $1 AND event_id = $2", [consumer.name, event.id, dl.attempts + 1, outcome.error, now]);
      deps.log.error({ deadLetterId: id, newDeadLetterId: next, consumer: consumer.name, eventId: event.id, error: outcome.error }, 'dead letter replay failed again');
    } else {
      deps.log.info({ deadLetterId: id, consumer: consumer.name, eventId: event.id, skipped: outcome.skipped }, 'dead letter replayed');
    }
    return deadLetterRepository.markReplayed(tx, id, now);
  });
}
