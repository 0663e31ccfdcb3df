import type { DomainEvent } from '../../../shared/events/domain-event.js';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import type { Role, UserStatus } from '../domain/role.js';
import type { User } from '../domain/user.entity.js';
import type { ThrottleRule } from '../domain/login-throttle.policy.js';

export interface NewUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface UserPageQuery {
  role?: Role;
  status?: UserStatus;
  after?: { createdAt: Date; id: string };
  limit: number;
}

export interface UserRepository {
  findByEmail(normalizedEmail: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  /** Throws `EmailTaken` on a duplicate (case-insensitive) e-mail. */
  insert(user: NewUser): Promise<User>;
  /** Inserts unless the e-mail exists; true when inserted. */
  insertIfAbsent(user: NewUser): Promise<boolean>;
  updatePasswordHash(id: string, passwordHash: string, at: Date): Promise<void>;
  setStatus(id: string, status: UserStatus, at: Date): Promise<User | null>;
  page(query: UserPageQuery): Promise<User[]>;
}

export interface NewSession {
  id: string;
  tokenHash: Buffer;
  userId: string;
  surface: SessionSurface;
  csrfToken: string;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  ip: string;
  userAgent: string | undefined;
}

/** A live session with the user it belongs to, as `touch` returns it. */
export interface LiveSession {
  id: string;
  userId: string;
  surface: SessionSurface;
  csrfToken: string;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  user: Omit<User, 'passwordHash'>;
}

export interface SessionRepository {
  /** Inserts the session only while the user is still active; false otherwise. */
  insert(session: NewSession): Promise<boolean>;
  /**
   * The live session for this token hash on this surface, of an active user whose role belongs to
   * the surface, with its idle expiry moved to `idleExpiresAt(absolute)` — in one statement.
   */
  touch(
    tokenHash: Buffer,
    surface: SessionSurface,
    now: Date,
    idleMs: number,
  ): Promise<LiveSession | null>;
  /** Revokes and returns the ids of the live sessions matched. */
  revoke(
    filter: { sessionId: string } | { userId: string; exceptSessionId?: string },
    reason: string,
    at: Date,
  ): Promise<string[]>;
  /** Deletes up to `limit` sessions that ended (revoked, idle or past their absolute expiry) before `endedBefore`; how many. */
  deleteEnded(endedBefore: Date, limit: number): Promise<number>;
}

export interface ThrottleState {
  lockedUntil: Date | null;
}

export interface LoginThrottleRepository {
  /** The latest lock among these keys still in force at `now`, or null. */
  lockedUntil(keys: readonly string[], now: Date): Promise<Date | null>;
  /** Counts one failure for the key under the rule, locking it when the rule says so. */
  recordFailure(key: string, rule: ThrottleRule, now: Date): Promise<void>;
  reset(key: string): Promise<void>;
  /** Deletes up to `limit` keys whose window (of at most `windowMs`) is over and that hold no lock at `now`; how many. */
  deleteStale(now: Date, windowMs: number, limit: number): Promise<number>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** With a null hash it verifies against a dummy, so an unknown user costs the same time. */
  verify(passwordHash: string | null, password: string): Promise<boolean>;
  needsRehash(passwordHash: string): boolean;
}

/** What a use-case may change atomically. */
export interface IdentityUnitOfWork {
  users: UserRepository;
  sessions: SessionRepository;
  appendEvent(event: DomainEvent): Promise<void>;
}

export interface IdentityTransactions {
  run<T>(fn: (uow: IdentityUnitOfWork) => Promise<T>): Promise<T>;
}
