import type { DomainEvent } from '../../../shared/events/domain-event.js';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import type { Role, UserStatus } from '../domain/role.js';
import type { User } from '../domain/user.entity.js';
import type { ThrottleState } from '../domain/login-throttle.policy.js';

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
  /** Inserts the session only while the user is still active, locking the user's row; false otherwise. */
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
  /**
   * Revokes the user's live sessions past the `keep` newest, counting `newestId` (the one just
   * made) as the newest whatever its time; returns their ids. Inside the transaction that inserted
   * `newestId`, whose insert holds the user's row, so racing sign-ins are counted one at a time.
   */
  revokeOldest(
    userId: string,
    keep: number,
    newestId: string,
    reason: string,
    at: Date,
  ): Promise<string[]>;
  /** Deletes up to `limit` sessions that ended (revoked, idle or past their absolute expiry) before `endedBefore`; how many. */
  deleteEnded(endedBefore: Date, limit: number): Promise<number>;
}

/** A throttle key: an account on a network, or '' for "every account" / "every network". */
export interface ThrottleKey {
  /** The normalized e-mail, or '' for a network-wide key. */
  account: string;
  /** The client network (see clientNetwork), or '' for an account-wide key. */
  network: string;
}

export interface LoginThrottleRepository {
  /**
   * The states of these keys (distinct), in the order given, each row locked until the
   * transaction ends; a key without a row gets an empty one. Meant for a unit of work.
   */
  lock(keys: readonly ThrottleKey[]): Promise<ThrottleState[]>;
  /** Writes the states of keys `lock` returned, in the same transaction. */
  save(rows: ReadonlyArray<ThrottleKey & { state: ThrottleState }>): Promise<void>;
  /**
   * Deletes up to `limit` keys that hold nothing any more at `now`: no failure within
   * `forgetAfterMs`, no wait, no success within `knownNetworkMs`; how many.
   */
  deleteStale(
    now: Date,
    forgetAfterMs: number,
    knownNetworkMs: number,
    limit: number,
  ): Promise<number>;
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
  throttle: LoginThrottleRepository;
  appendEvent(event: DomainEvent): Promise<void>;
}

export interface IdentityTransactions {
  run<T>(fn: (uow: IdentityUnitOfWork) => Promise<T>): Promise<T>;
}
