import type { Queryable } from '../../../shared/db/db.js';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import type { Role, UserStatus } from '../domain/role.js';
import type { LiveSession, SessionRepository } from '../application/session.repository.port.js';

interface TouchedRow {
  id: string;
  user_id: string;
  surface: SessionSurface;
  csrf_token: string;
  created_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  email: string;
  display_name: string;
  role: Role;
  status: UserStatus;
  user_created_at: Date;
}

// Roles allowed per surface, repeated in SQL so a role change can never carry a session across.
const SURFACE_ROLES: Readonly<Record<SessionSurface, readonly Role[]>> = {
  client: ['client'],
  admin: ['staff', 'admin', 'super_admin'],
};

function toLiveSession(row: TouchedRow): LiveSession {
  return {
    id: row.id,
    userId: row.user_id,
    surface: row.surface,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    idleExpiresAt: row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    user: {
      id: row.user_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      status: row.status,
      createdAt: row.user_created_at,
    },
  };
}

export function createSessionRepository(db: Queryable): SessionRepository {
  return {
    async insert(newSession) {
      const result = await db.query(
        `INSERT INTO sessions (id, token_hash, user_id, surface, csrf_token, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)
         SELECT $1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10 FROM users WHERE id = $3 AND status = 'active'
         FOR NO KEY UPDATE`,
        [
          newSession.id,
          newSession.tokenHash,
          newSession.userId,
          newSession.surface,
          newSession.csrfToken,
          newSession.createdAt,
          newSession.idleExpiresAt,
          newSession.absoluteExpiresAt,
          newSession.ip,
          newSession.userAgent?.slice(0, 512) ?? null,
        ],
      );
      return result.rowCount === 1;
    },
    async touch(tokenHash, surface, now, idleMs): Promise<LiveSession | null> {
      const result = await db.query<TouchedRow>(
        `UPDATE sessions s
            SET last_seen_at = $3,
                idle_expires_at = LEAST($3::timestamptz + make_interval(secs => $4::double precision / 1000), s.absolute_expires_at)
           FROM users u
          WHERE s.token_hash = $1 AND s.surface = $2 AND s.revoked_at IS NULL
            AND s.idle_expires_at > $3 AND s.absolute_expires_at > $3
            AND u.id = s.user_id AND u.status = 'active' AND u.role = ANY($5::text[])
        RETURNING s.id, s.user_id, s.surface, s.csrf_token, s.created_at, s.idle_expires_at, s.absolute_expires_at,
                  u.email, u.display_name, u.role, u.status, u.created_at AS user_created_at`,
        [tokenHash, surface, now, idleMs, SURFACE_ROLES[surface]],
      );
      const row = result.rows[0];
      if (!row) return null;
      return toLiveSession(row);
    },
    async revoke(filter, reason, at) {
      let result;
      if ('sessionId' in filter) {
        result = await db.query<{ id: string }>(
          'UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
          [filter.sessionId, at, reason],
        );
      } else {
        result = await db.query<{ id: string }>(
          'UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid) AND absolute_expires_at > $2 RETURNING id',
          [filter.userId, at, reason, filter.exceptSessionId ?? null],
        );
      }
      return result.rows.map((row) => row.id);
    },
    async revokeOldest(userId, keep, newestId, reason, at) {
      const result = await db.query<{ id: string }>(
        `UPDATE sessions SET revoked_at = $2, revoked_reason = $5
          WHERE id IN (
            SELECT id FROM sessions
             WHERE user_id = $1 AND id <> $3 AND revoked_at IS NULL
               AND idle_expires_at > $2 AND absolute_expires_at > $2
             ORDER BY created_at DESC, id DESC
            OFFSET greatest($4::int - 1, 0))
        RETURNING id`,
        [userId, at, newestId, keep, reason],
      );
      return result.rows.map((row) => row.id);
    },
    async deleteEnded(endedBefore, limit) {
      const result = await db.query(
        `DELETE FROM sessions WHERE id IN (
           SELECT id FROM sessions
           WHERE least(coalesce(revoked_at, 'infinity'), idle_expires_at, absolute_expires_at) < $1
           LIMIT $2)`,
        [endedBefore, limit],
      );
      return result.rowCount ?? 0;
    },
  };
}
