import type { Queryable } from '../../../shared/db/db.js';
import type { DomainEvent } from '../../../shared/events/domain-event.js';
import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type { DeadLetterView } from '../domain/dead-letter.js';

/** Dead letters and the outbox rows they point at. Writes take the caller's transaction. */
export interface DeadLetterRepository {
  /** Newest first, keyset after (failedAt, id). */
  page(q: Queryable, after: CursorPosition | null, limit: number): Promise<DeadLetterView[]>;
  lock(q: Queryable, id: string): Promise<DeadLetterView | null>;
  markReplayed(q: Queryable, id: string, at: Date): Promise<DeadLetterView>;
  recordReplayError(q: Queryable, id: string, error: string): Promise<void>;
  /** The dead letter's event, if the outbox still holds it. */
  findEvent(q: Queryable, eventId: string): Promise<DomainEvent | null>;
  recordDeliveryFailure(
    q: Queryable,
    consumer: string,
    eventId: string,
    attempts: number,
    error: string,
    at: Date,
  ): Promise<void>;
}
