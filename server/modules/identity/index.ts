/**
 * Identity: users and roles, argon2id passwords, surface-bound sessions, sign-in throttling and
 * admin user management. Other code imports only this file.
 * @example
 * const identity = createIdentityModule({ db, clock, log });
 * const handlers = { ...identityHttp(identity), ...otherHandlers };
 * createBalanceGuard({ ..., handlers, sessions: identity.sessions });
 * registerIdentityRealtime(fanout); // ended sessions close their sockets on every instance
 */
export {
  createIdentityModule,
  type IdentityModule,
  type IdentityModuleDeps,
} from './identity.module.js';
export { identityHttp, type IdentityOperations } from './transport/identity.http.js';
export { registerIdentityRealtime } from './transport/identity.realtime.js';
export type {
  SessionsEnded,
  SessionsEndedPayload,
  SessionsEndedReason,
} from './domain/identity.events.js';
export { SESSIONS_ENDED } from './domain/identity.events.js';
export { DEMO_USERS } from './application/seed-demo-users.use-case.js';
export type { UserSummary } from './application/find-users.use-case.js';
