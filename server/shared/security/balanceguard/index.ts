/**
 * BalanceGuard: the one entrance for every HTTP request. Its steps and their order are in
 * pipeline.ts.
 * @example
 * const guard = createBalanceGuard({ config, log, clock, operations: operationList, handlers, sessions, idempotency, rateLimiter });
 * createHttpServer({ handler: guard, log, production });
 */
export { createBalanceGuard, type BalanceGuardDeps } from './balanceguard.js';
export { sessionCookieName } from './session-cookie.js';
