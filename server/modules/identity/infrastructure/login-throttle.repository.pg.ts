import type { Queryable } from '../../../shared/db/db.js';
import type { LoginThrottleRepository } from '../application/login-throttle.repository.port.js';
import type { ThrottleState } from '../domain/login-throttle.policy.js';

interface Row {
  account: string;
  network: string;
  failures: number;
  last_failure_at: Date | null;
  next_attempt_at: Date | null;
  last_success_at: Date | null;
}

const toState = (row: Row): ThrottleState => ({
  failures: row.failures,
  lastFailureAt: row.last_failure_at,
  nextAttemptAt: row.next_attempt_at,
  lastSuccessAt: row.last_success_at,
});

export function createLoginThrottleRepository(db: Queryable): LoginThrottleRepository {
  return {
    // One statement creates the missing rows and locks every one (an upsert that changes nothing
    // still takes the row lock), in the order given, so two attempts sharing keys queue up here.
    async lock(keys) {
      const result = await db.query<Row>(
        `INSERT INTO sign_in_throttle AS t (account, network)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (account, network) DO UPDATE SET failures = t.failures
         RETURNING account, network, failures, last_failure_at, next_attempt_at, last_success_at`,
        [keys.map((key) => key.account), keys.map((key) => key.network)],
      );
      const byKey = new Map(result.rows.map((row) => [`${row.account}\n${row.network}`, row]));
      return keys.map((key) => toState(byKey.get(`${key.account}\n${key.network}`)!));
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
          rows.map((row) => row.account),
          rows.map((row) => row.network),
          rows.map((row) => row.state.failures),
          rows.map((row) => row.state.lastFailureAt),
          rows.map((row) => row.state.nextAttemptAt),
          rows.map((row) => row.state.lastSuccessAt),
        ],
      );
    },
    async deleteStale(now, forgetAfterMs, knownNetworkMs, limit) {
      const result = await db.query(
        `DELETE FROM sign_in_throttle WHERE (account, network) IN (
           SELECT account, network FROM sign_in_throttle
            WHERE (last_failure_at IS NULL OR last_failure_at <= $1::timestamptz - make_interval(secs => $2::double precision / 1000))
              AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
              AND (last_success_at IS NULL OR last_success_at <= $1::timestamptz - make_interval(secs => $3::double precision / 1000))
            LIMIT $4)`,
        [now, forgetAfterMs, knownNetworkMs, limit],
      );
      return result.rowCount ?? 0;
    },
  };
}
