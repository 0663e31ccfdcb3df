/**
 * Identity: users and roles, argon2id passwords, surface-bound sessions, sign-in throttling and
 * admin user management. Other code imports only this file.
 * @example
 * // `fanout`: ended sessions close their sockets on every instance
 * const identity = createIdentityModule({ db, clock, log, fanout });
 * const handlers = { ...identity.http, ...otherHandlers };
 * createBalanceGuard({ ..., handlers, sessions: identity.sessions });
 */
export {
  createIdentityModule,
  type IdentityModule,
  type IdentityModuleDeps,
} from './identity.module.js';
export type { IdentityOperations } from './transport/identity.http.js';
export type {
  SessionsEnded,
  SessionsEndedPayload,
  SessionsEndedReason,
} from './domain/identity.events.js';
export { SESSIONS_ENDED } from './domain/identity.events.js';
export { DEMO_USERS } from './application/seed-demo-users.use-case.js';
export type { UserSummary } from './application/find-users.use-case.js';
