import type { Db } from '../../shared/db/db.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import { listDeadLetters } from './application/list-dead-letters.use-case.js';
import { replayDeadLetter } from './application/replay-dead-letter.use-case.js';
import type { DeadLetterView } from './domain/dead-letter.js';
import { deadLetterRepository as repo } from './infrastructure/dead-letter.repository.pg.js';

export interface EventsModule {
  listDeadLetters(q: {
    cursor?: string;
    limit?: number;
  }): Promise<{ items: DeadLetterView[]; nextCursor: string | null }>;
  /** Replays once; a second replay of the same dead letter is EVENTS.ALREADY_REPLAYED. */
  replayDeadLetter(id: string, now: Date): Promise<DeadLetterView>;
}

export function createEventsModule(deps: {
  db: Db;
  log: Logger;
  clock: Clock;
  consumers: readonly EventConsumer[];
}): EventsModule {
  const consumers = new Map(deps.consumers.map((c) => [c.name, c]));
  return {
    listDeadLetters: (q) => listDeadLetters({ db: deps.db, repo }, q),
    replayDeadLetter: (id, now) =>
      replayDeadLetter({ db: deps.db, repo, log: deps.log, consumers }, id, now),
  };
}
