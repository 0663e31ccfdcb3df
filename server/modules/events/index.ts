/**
 * Event delivery administration: the outbox relay's dead letters, listed and replayed.
 * @example
 * const events = createEventsModule({ db, log, clock, consumers });
 * const handlers = { ...eventsHttp(events), ...otherHandlers };
 */
export { createEventsModule, type EventsModule } from './events.module.js';
export { eventsHttp, type EventsOperations } from './transport/events.http.js';
export type { DeadLetterView } from './domain/dead-letter.js';
