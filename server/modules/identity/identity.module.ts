import type { Db } from '../../shared/db/db.js';
import { appendToOutbox } from '../../shared/events/outbox.js';
import type { RequestContext } from '../../shared/http/request-context.js';
import type { Logger } from '../../shared/logging/logger.js';
import { AppError } from '../../shared/errors/app-error.js';
import type { SessionPort, SessionSurface } from '../../shared/security/session-port.js';
import type { Clock } from '../../shared/time/clock.js';
import { OWASP_ARGON2ID, type HashParams } from './domain/password-hash.js';
import type { PasswordPolicy } from './domain/password-policy.js';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './domain/session-policy.js';
import { DEFAULT_THROTTLE_POLICY, type ThrottlePolicy } from './domain/login-throttle.policy.js';
import type { UserView } from './domain/user.entity.js';
import type { AuthSessionView } from './application/auth-session.view.js';
import type { Caller, IdentityDeps } from './application/identity.deps.js';
import type { IdentityTransactions } from './application/identity.ports.js';
import { login } from './application/login.use-case.js';
import { logout } from './application/logout.use-case.js';
import { getMe } from './application/get-me.use-case.js';
import { changePassword } from './application/change-password.use-case.js';
import {
  createStaffUser,
  type CreateStaffUserCommand,
} from './application/create-staff-user.use-case.js';
import { listUsers, type ListUsersQuery } from './application/list-users.use-case.js';
import { disableUser } from './application/disable-user.use-case.js';
import { findUsers, type UserSummary } from './application/find-users.use-case.js';
import { resolveSession } from './application/resolve-session.use-case.js';
import { demoAccountsPresent, seedDemoUsers } from './application/seed-demo-users.use-case.js';
import { purgeExpired } from './application/purge-expired.use-case.js';
import { createUserRepository } from './infrastructure/user.repository.pg.js';
import { createSessionRepository } from './infrastructure/session.repository.pg.js';
import { createLoginThrottleRepository } from './infrastructure/login-throttle.repository.pg.js';
import { createArgon2Hasher } from './infrastructure/argon2.password-hasher.js';
import { commonPasswords } from './infrastructure/common-passwords.js';

export interface IdentityModule {
  /** BalanceGuard's session resolution for the client and admin cookies. */
  readonly sessions: SessionPort;
  /** Signs in on `surface` and sets that surface's cookie. */
  login(
    surface: SessionSurface,
    body: { email: string; password: string },
    ctx: RequestContext,
  ): Promise<AuthSessionView>;
  /** Revokes the current session and clears the cookie. */
  logout(ctx: RequestContext): Promise<void>;
  me(ctx: RequestContext): Promise<AuthSessionView>;
  /** Ends every other session of the user. */
  changePassword(
    body: { currentPassword: string; newPassword: string },
    ctx: RequestContext,
  ): Promise<void>;
  createStaffUser(cmd: CreateStaffUserCommand, ctx: RequestContext): Promise<UserView>;
  listUsers(q: ListUsersQuery): Promise<{ items: UserView[]; nextCursor: string | null }>;
  disableUser(userId: string, ctx: RequestContext): Promise<UserView>;
  /** Names, roles and status of these users (unknown ids are left out); for other modules, e.g. chat. */
  findUsers(ids: readonly string[]): Promise<UserSummary[]>;
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

function callerOf(ctx: RequestContext): Caller {
  return {
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    now: ctx.now,
    actor: ctx.actor
      ? { userId: ctx.actor.userId, role: ctx.actor.role, sessionId: ctx.actor.sessionId }
      : null,
  };
}

function sessionOf(ctx: RequestContext) {
  // BalanceGuard resolves the session before any operation that declares one; reaching here
  // without it is a wiring mistake, answered as "sign in".
  if (!ctx.session) throw new AppError('AUTH.UNAUTHENTICATED');
  return ctx.session;
}

/**
 * Users, roles, surface-bound sessions and sign-in throttling on Postgres.
 * @example
 * const identity = createIdentityModule({ db, clock, log });
 * const guard = createBalanceGuard({ ..., sessions: identity.sessions, handlers: { ...identityHttp(identity) } });
 */
export function createIdentityModule(deps: IdentityModuleDeps): IdentityModule {
  const { db, clock, log } = deps;
  const pp = deps.passwordPolicy ?? {};
  const hashParams: HashParams = { ...OWASP_ARGON2ID, ...pp.hash };
  const passwordPolicy: PasswordPolicy = {
    minLength: pp.minLength ?? 8,
    maxLength: pp.maxLength ?? 128,
    commonPasswords: pp.commonPasswords
      ? new Set([...pp.commonPasswords].map((p) => p.toLowerCase()))
      : commonPasswords(),
  };
  const transactions: IdentityTransactions = {
    run: (fn) =>
      db.tx((tx) =>
        fn({
          users: createUserRepository(tx),
          sessions: createSessionRepository(tx),
          throttle: createLoginThrottleRepository(tx),
          appendEvent: (event) => appendToOutbox(tx, event),
        }),
      ),
  };
  const d: IdentityDeps = {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    throttle: createLoginThrottleRepository(db),
    hasher: createArgon2Hasher(hashParams),
    transactions,
    clock,
    log,
    passwordPolicy,
    sessionPolicy: deps.sessionPolicy ?? DEFAULT_SESSION_POLICY,
    throttlePolicy: deps.throttlePolicy ?? DEFAULT_THROTTLE_POLICY,
  };

  return {
    sessions: { resolve: (surface, token, now) => resolveSession(d, surface, token, now) },
    async login(surface, body, ctx) {
      const result = await login(
        d,
        { surface, email: body.email, password: body.password },
        callerOf(ctx),
      );
      ctx.setSessionCookie(result.token, result.cookieMaxAgeSeconds);
      return result.view;
    },
    async logout(ctx) {
      const session = sessionOf(ctx);
      await logout(d, session, callerOf(ctx));
      ctx.clearSessionCookie();
    },
    me: (ctx) => getMe(d, sessionOf(ctx)),
    async changePassword(body, ctx) {
      const session = sessionOf(ctx);
      await changePassword(
        d,
        { userId: session.userId, sessionId: session.sessionId, ...body },
        callerOf(ctx),
      );
    },
    createStaffUser: (cmd, ctx) => createStaffUser(d, cmd, callerOf(ctx)),
    listUsers: (q) => listUsers(d, q),
    disableUser: (userId, ctx) => disableUser(d, userId, callerOf(ctx)),
    findUsers: (ids) => findUsers(d, ids),
    purgeExpired: (now, retention) => purgeExpired(d, now, retention),
    seedDemoUsers: () => seedDemoUsers(d),
    demoAccountsPresent: () => demoAccountsPresent(d),
  };
}
