import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { RealtimeFanout } from '../../shared/realtime/realtime.port.js';
import type { SessionPort } from '../../shared/security/session-port.js';
import type { Clock } from '../../shared/time/clock.js';
import { OWASP_ARGON2ID, type HashParams } from './domain/password-hash.js';
import type { PasswordPolicy } from './domain/password-policy.js';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './domain/session-policy.js';
import { DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from './domain/login-throttle.policy.js';
import type { UserView } from './domain/user.entity.js';
import type { IdentityDeps } from './application/identity.deps.js';
import { listUsers, type ListUsersQuery } from './application/list-users.use-case.js';
import { findUsers, type UserSummary } from './application/find-users.use-case.js';
import { resolveSession } from './application/resolve-session.use-case.js';
import { demoAccountsPresent, seedDemoUsers } from './application/seed-demo-users.use-case.js';
import { purgeExpired } from './application/purge-expired.use-case.js';
import { createUserRepository } from './infrastructure/user.repository.pg.js';
import { createSessionRepository } from './infrastructure/session.repository.pg.js';
import { createLoginThrottleRepository } from './infrastructure/login-throttle.repository.pg.js';
import { createArgon2Hasher } from './infrastructure/argon2.password-hasher.js';
import { commonPasswords } from './infrastructure/common-passwords.js';
import { identityHttp, type IdentityOperations } from './transport/identity.http.js';
import { registerIdentityRealtime } from './transport/identity.realtime.js';

export interface IdentityModule {
  readonly http: IdentityOperations;
  /** BalanceGuard's (and WSGuard's) session resolution for the client and admin cookies. */
  readonly sessions: SessionPort;
  /** Names, roles and status of these users (unknown ids are left out); for other modules, e.g. chat. */
  findUsers(ids: readonly string[]): Promise<UserSummary[]>;
  /** What `GET /admin/users` lists, for tests and tools. */
  listUsers(
    listUsersQuery: ListUsersQuery,
  ): Promise<{ items: UserView[]; nextCursor: string | null }>;
  /** Housekeeping: deletes sessions ended longer ago than their retention (a week by default) and spent sign-in throttle keys. */
  purgeExpired(
    now: Date,
    retention?: { endedSessionsMs?: number },
  ): Promise<{ sessions: number; throttleKeys: number }>;
  /** Development only: the demo admin and client, created when absent. */
  seedDemoUsers(): Promise<{
    admin: { email: string; password: string };
    client: { email: string; password: string };
  }>;
  /** The emails of the demo accounts present (a production start refuses them). */
  demoAccountsPresent(): Promise<string[]>;
}

export interface IdentityModuleDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Ended sessions (`identity.sessions_ended`) close their sockets through it, on every instance. */
  fanout: RealtimeFanout;
  passwordPolicy?: {
    minLength?: number;
    maxLength?: number;
    /** Replaces the built-in common-password list. */
    commonPasswords?: Iterable<string>;
    /** argon2id cost; defaults to OWASP's m=19456, t=2, p=1. */
    hash?: Partial<HashParams>;
  };
  sessionPolicy?: SessionPolicy;
  throttlePolicy?: ThrottlePolicy;
}

/**
 * Users, roles, surface-bound sessions and sign-in throttling on Postgres.
 * @example
 * const identity = createIdentityModule({ db, clock, log, fanout });
 * const guard = createBalanceGuard({ ..., sessions: identity.sessions, handlers: { ...identity.http } });
 */
export function createIdentityModule(deps: IdentityModuleDeps): IdentityModule {
  const { db, clock, log } = deps;
  const pp = deps.passwordPolicy ?? {};
  const hashParams: HashParams = { ...OWASP_ARGON2ID, ...pp.hash };
  const passwordPolicy: PasswordPolicy = {
    minLength: pp.minLength ?? 8,
    maxLength: pp.maxLength ?? 128,
    commonPasswords: pp.commonPasswords
      ? new Set([...pp.commonPasswords].map((commonPassword) => commonPassword.toLowerCase()))
      : commonPasswords(),
  };
  const identityDeps: IdentityDeps = {
    uow: createUnitOfWork(db, (queryable) => ({
      users: createUserRepository(queryable),
      sessions: createSessionRepository(queryable),
      throttle: createLoginThrottleRepository(queryable),
    })),
    hasher: createArgon2Hasher(hashParams),
    clock,
    log,
    passwordPolicy,
    sessionPolicy: deps.sessionPolicy ?? DEFAULT_SESSION_POLICY,
    throttlePolicy: deps.throttlePolicy ?? DEFAULT_THROTTLE_POLICY,
  };
  registerIdentityRealtime(deps.fanout);

  return {
    http: identityHttp(identityDeps),
    sessions: {
      resolve: (surface, token, now) => resolveSession(identityDeps, surface, token, now),
    },
    findUsers: (ids) => findUsers(identityDeps, ids),
    listUsers: (listUsersQuery) => listUsers(identityDeps, listUsersQuery),
    purgeExpired: (now, retention) => purgeExpired(identityDeps, now, retention),
    seedDemoUsers: () => seedDemoUsers(identityDeps),
    demoAccountsPresent: () => demoAccountsPresent(identityDeps),
  };
}
