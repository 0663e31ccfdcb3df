/**
 * How server/shared is divided, for the rules in .dependency-cruiser.cjs. Kept apart so
 * tests/architecture/dependency-rules.test.ts can check these lists against the real tree: every
 * name here exists, every file of server/shared that does I/O is in SHARED_IMPURE, and every folder
 * of server/shared has a layer. Paths are relative to server/shared; a folder ends with `/`.
 */

/**
 * Parts of server/shared that do I/O (the database, sockets, files, timers, the environment) or run
 * the transport: not for a domain. Everything else in server/shared (errors, the event envelope,
 * ports such as security/session-port.ts) is a pure helper a domain may use.
 */
const SHARED_IMPURE = [
  'config/',
  'db/',
  'logging/',
  'jobs/',
  'events/delivery.ts',
  'events/event-consumer.ts',
  'events/outbox.ts',
  'events/outbox-retention.ts',
  'events/pg-listener.ts',
  'events/relay.ts',
  'http/idempotency.ts',
  'http/server.ts',
  'security/balanceguard/',
  'security/wsguard/',
  'realtime/',
  'unit-of-work/',
];

/**
 * The folders of server/shared from the bottom up. A folder imports its own layer and those below,
 * never one above: the HTTP helpers do not know BalanceGuard, the guards do not know the realtime
 * server that runs them.
 */
const SHARED_LAYERS = [
  ['errors', 'json', 'time', 'crypto', 'config', 'logging', 'pagination'],
  ['db', 'jobs'],
  ['events', 'http', 'unit-of-work'],
  ['security'],
  ['realtime'],
];

module.exports = { SHARED_IMPURE, SHARED_LAYERS };
