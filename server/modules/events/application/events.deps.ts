import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { EventConsumer } from '../../../shared/events/event-consumer.js';
import type { Logger } from '../../../shared/logging/logger.js';
import type { DeadLetterRepository } from './dead-letter.repository.port.js';

export interface EventsRepos {
  deadLetters: DeadLetterRepository;
}

export interface EventsDeps {
  uow: UnitOfWork<EventsRepos>;
  log: Logger;
  /** Every consumer registered with the relay, by name: a replay hands the event to its own. */
  consumers: ReadonlyMap<string, EventConsumer>;
}
