import type { Queryable } from '../../../shared/db/db.js';
import type { LoginThrottleRepository } from '../application/login-throttle.repository.port.js';

export function createLoginThrottleRepository(db: Queryable): LoginThrottleRepository {
  return {
    async lockedUntil(keys, now) {
      const r = await db.query<{ until: Date | null }>(
        'SELECT max(locked_until) AS until FROM login_throttle WHERE key = ANY($1::text[]) AND locked_until > $2',
        [keys, now],
      );
      return r.rows[0]?.until ?? null;
    },
    // One atomic upsert: a window that ran out (or a lock that expired) starts again at one failure,
    // and reaching the limit sets the lock, so concurrent instances can never undercount.
    async recordFailure(key, rule, now) {
      await db.query(
        `INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
         VALUES ($1, 1, $2, CASE WHEN 1 >= $3 THEN $2::timestamptz + make_interval(secs => $5::double precision / 1000) END)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.window_started_at + make_interval(secs => $4::double precision / 1000) <= $2 OR t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END,
           window_started_at = CASE WHEN t.window_started_at + make_interval(secs => $4::double precision / 1000) <= $2 OR t.locked_until <= $2 THEN $2 ELSE t.window_started_at END,
           locked_until = CASE
             WHEN (CASE WHEN t.window_started_at + make_interval(secs => $4::double precision / 1000) <= $2 OR t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END) >= $3
             THEN $2::timestamptz + make_interval(secs => $5::double precision / 1000)
             WHEN t.locked_until <= $2 THEN NULL
             ELSE t.locked_until END`,
        [key, now, rule.maxFailures, rule.windowMs, rule.lockMs],
      );
    },
    async reset(key) {
      await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
    },
    async deleteStale(now, windowMs, limit) {
      const r = await db.query(
        `DELETE FROM login_throttle WHERE key IN (
           SELECT key FROM login_throttle
           WHERE window_started_at + make_interval(secs => $2::double precision / 1000) <= $1 AND (locked_until IS NULL OR locked_until <= $1)
           LIMIT $3)`,
        [now, windowMs, limit],
      );
      return r.rowCount ?? 0;
    },
  };
}
