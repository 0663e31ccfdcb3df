import type { Queryable } from '../../../shared/db/db.js';
import type { LoginThrottleRepository } from '../application/identity.ports.js';
import type { ThrottleState } from '../domain/login-throttle.policy.js';

interface Row {
  account: string;
  network: string;
  failures: number;
  last_failure_at: Date | null;
  next_attempt_at: Date | null;
  last_success_at: Date | null;
}

const toState = (r: Row): ThrottleState => ({
  failures: r.failures,
  lastFailureAt: r.last_failure_at,
  nextAttemptAt: r.next_attempt_at,
  lastSuccessAt: r.last_success_at,
});

export function createLoginThrottleRepository(db: Queryable): LoginThrottleRepository {
  return {
    // One statement creates the missing rows and locks every one (an upsert that changes nothing
    // still takes the row lock), in the order given, so two attempts sharing keys queue up here.
    async lock(keys) {
      const r = await db.query<Row>(
        `INSERT INTO sign_in_throttle AS t (account, network)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (account, network) DO UPDATE SET failures = t.failures
         RETURNING account, network, failures, last_failure_at, next_attempt_at, last_success_at`,
        [keys.map((k) => k.account), keys.map((k) => k.network)],
      );
      const byKey = new Map(r.rows.map((row) => [`${row.account}\n${row.network}`, row]));
      return keys.map((k) => toState(byKey.get(`${k.account}\n${k.network}`)!));
    },
    async save(rows) {
      await db.query(
        `UPDATE sign_in_throttle t
            SET failures = v.failures, last_failure_at = v.last_failure_at,
                next_attempt_at = v.next_attempt_at, last_success_at = v.last_success_at
           FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
                AS v(account, network, failures, last_failure_at, next_attempt_at, last_success_at)
          WHERE t.account = v.account AND t.network = v.network`,
        [
          rows.map((r) => r.account),
          rows.map((r) => r.network),
          rows.map((r) => r.state.failures),
          rows.map((r) => r.state.lastFailureAt),
          rows.map((r) => r.state.nextAttemptAt),
          rows.map((r) => r.state.lastSuccessAt),
        ],
      );
    },
    async deleteStale(now, forgetAfterMs, knownNetworkMs, limit) {
      const r = await db.query(
        `DELETE FROM sign_in_throttle WHERE (account, network) IN (
           SELECT account, network FROM sign_in_throttle
            WHERE (last_failure_at IS NULL OR last_failure_at <= $1::timestamptz - make_interval(secs => $2::double precision / 1000))
              AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
              AND (last_success_at IS NULL OR last_success_at <= $1::timestamptz - make_interval(secs => $3::double precision / 1000))
            LIMIT $4)`,
        [now, forgetAfterMs, knownNetworkMs, limit],
      );
      return r.rowCount ?? 0;
    },
  };
}
