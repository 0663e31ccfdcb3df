import type { Db } from '../../../shared/db/db.js';
import { deliverOnce, insertDeadLetter } from '../../../shared/events/delivery.js';
import type { EventConsumer } from '../../../shared/events/event-consumer.js';
import type { Logger } from '../../../shared/logging/logger.js';
import {
  DeadLetterAlreadyReplayed,
  DeadLetterNotFound,
  type DeadLetterView,
} from '../domain/dead-letter.js';
import type { DeadLetterRepository } from './dead-letter.repository.port.js';

/**
 * Hands a dead letter's event to its consumer once more, in one transaction with the consumer's
 * writes and its processed record (an event the consumer has processed since is not applied
 * again). The dead letter is then marked replayed; if the consumer fails again, that failure is
 * recorded as a new dead letter.
 */
export async function replayDeadLetter(
  deps: {
    db: Db;
    repo: DeadLetterRepository;
    log: Logger;
    consumers: ReadonlyMap<string, EventConsumer>;
  },
  id: string,
  now: Date,
): Promise<DeadLetterView> {
  return deps.db.tx(async (tx) => {
    const dl = await deps.repo.lock(tx, id);
    if (!dl) throw new DeadLetterNotFound();
    if (dl.replayedAt !== null) throw new DeadLetterAlreadyReplayed();
    const event = await deps.repo.findEvent(tx, dl.eventId);
    const consumer = deps.consumers.get(dl.consumer);
    if (!event || !consumer) {
      // The event was purged or the consumer no longer exists: nothing can run; record why.
      const error = !event
        ? 'replay: the event is no longer in the outbox'
        : `replay: no consumer named ${dl.consumer} is registered`;
      await deps.repo.recordReplayError(tx, id, error);
      deps.log.error({ deadLetterId: id, consumer: dl.consumer, eventId: dl.eventId }, error);
      return deps.repo.markReplayed(tx, id, now);
    }
    const outcome = await deliverOnce(tx, consumer, event, now);
    if (!outcome.ok) {
      const next = await insertDeadLetter(tx, {
        event,
        consumer: consumer.name,
        attempts: dl.attempts + 1,
        error: outcome.error,
        at: now,
      });
      await deps.repo.recordDeliveryFailure(
        tx,
        consumer.name,
        event.id,
        dl.attempts + 1,
        outcome.error,
        now,
      );
      deps.log.error(
        {
          deadLetterId: id,
          newDeadLetterId: next,
          consumer: consumer.name,
          eventId: event.id,
          error: outcome.error,
        },
        'dead letter replay failed again',
      );
    } else {
      deps.log.info(
        { deadLetterId: id, consumer: consumer.name, eventId: event.id, skipped: outcome.skipped },
        'dead letter replayed',
      );
    }
    return deps.repo.markReplayed(tx, id, now);
  });
}
