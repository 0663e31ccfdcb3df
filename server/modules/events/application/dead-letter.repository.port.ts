import type { DomainEvent } from '../../../shared/events/domain-event.js';
import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type { DeadLetterView } from '../domain/dead-letter.js';

/** Dead letters and the outbox rows they point at. Bound to a transaction or the pool by the unit of work. */
export interface DeadLetterRepository {
  /** Newest first, keyset after (failedAt, id). */
  page(after: CursorPosition | null, limit: number): Promise<DeadLetterView[]>;
  lock(id: string): Promise<DeadLetterView | null>;
  markReplayed(id: string, at: Date): Promise<DeadLetterView>;
  recordReplayError(id: string, error: string): Promise<void>;
  /** The dead letter's event, if the outbox still holds it. */
  findEvent(eventId: string): Promise<DomainEvent | null>;
  recordDeliveryFailure(
    consumer: string,
    eventId: string,
    attempts: number,
    error: string,
    at: Date,
  ): Promise<void>;
}
