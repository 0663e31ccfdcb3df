import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Page } from '../../shared/pagination/cursor.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { EventsDeps } from './application/events.deps.js';
import { listDeadLetters } from './application/list-dead-letters.use-case.js';
import { replayDeadLetter } from './application/replay-dead-letter.use-case.js';
import type { DeadLetterView } from './domain/dead-letter.js';
import { createDeadLetterRepository } from './infrastructure/dead-letter.repository.pg.js';
import { eventsHttp, type EventsOperations } from './transport/events.http.js';

export interface EventsModule {
  readonly http: EventsOperations;
  /** For operators' tools: the dead letters, newest first. */
  listDeadLetters(query: { cursor?: string; limit?: number }): Promise<Page<DeadLetterView>>;
  /** For operators' tools: replays once; a second replay of the same dead letter is EVENTS.ALREADY_REPLAYED. */
  replayDeadLetter(id: string, now: Date): Promise<DeadLetterView>;
}

export function createEventsModule(deps: {
  db: Db;
  log: Logger;
  consumers: readonly EventConsumer[];
}): EventsModule {
  const eventsDeps: EventsDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({
      deadLetters: createDeadLetterRepository(queryable),
    })),
    log: deps.log,
    consumers: new Map(deps.consumers.map((consumer) => [consumer.name, consumer])),
  };
  return {
    http: eventsHttp(eventsDeps),
    listDeadLetters: (query) => listDeadLetters(eventsDeps, query),
    replayDeadLetter: (id, now) => replayDeadLetter(eventsDeps, id, now),
  };
}
