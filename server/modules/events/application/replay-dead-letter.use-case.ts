import { deliverOnce, insertDeadLetter } from '../../../shared/events/delivery.js';
import {
  DeadLetterAlreadyReplayed,
  DeadLetterNotFound,
  type DeadLetterView,
} from '../domain/dead-letter.js';
import type { EventsDeps } from './events.deps.js';

/**
 * Hands a dead letter's event to its consumer once more, in one transaction with the consumer's
 * writes and its processed record (an event the consumer has processed since is not applied
 * again). The dead letter is then marked replayed; if the consumer fails again, that failure is
 * recorded as a new dead letter.
 */
export async function replayDeadLetter(
  deps: EventsDeps,
  id: string,
  now: Date,
): Promise<DeadLetterView> {
  return deps.uow.run(async ({ deadLetters, tx }) => {
    const dl = await deadLetters.lock(id);
    if (!dl) throw new DeadLetterNotFound();
    if (dl.replayedAt !== null) throw new DeadLetterAlreadyReplayed();
    const event = await deadLetters.findEvent(dl.eventId);
    const consumer = deps.consumers.get(dl.consumer);
    if (!event || !consumer) {
      // The event was purged or the consumer no longer exists: nothing can run; record why.
      const error = !event
        ? 'replay: the event is no longer in the outbox'
        : `replay: no consumer named ${dl.consumer} is registered`;
      await deadLetters.recordReplayError(id, error);
      deps.log.error({ deadLetterId: id, consumer: dl.consumer, eventId: dl.eventId }, error);
      return deadLetters.markReplayed(id, now);
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
      await deadLetters.recordDeliveryFailure(
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
    return deadLetters.markReplayed(id, now);
  });
}
