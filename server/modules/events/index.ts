/**
 * Event delivery administration: the outbox relay's dead letters, listed and replayed.
 * @example
 * const events = createEventsModule({ db, log, consumers });
 * const handlers = { ...events.http, ...otherHandlers };
 */
export { createEventsModule, type EventsModule } from './events.module.js';
export type { DeadLetterView } from './domain/dead-letter.js';
