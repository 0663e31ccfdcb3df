import type { SessionSurface } from '../../../shared/security/session-port.js';
import type { User } from '../domain/user.entity.js';

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
