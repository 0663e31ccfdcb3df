import { AppError } from '../errors/app-error.js';
import type { Db, Tx } from '../db/db.js';
import { deleteInBatches } from '../jobs/housekeeping.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** One request that carries an `Idempotency-Key`, and what identifies it. */
export interface IdempotentRequest {
  operationId: string;
  /** Whose key it is (`user:<id>` or `anonymous`): one caller's key never answers another. */
  scope: string;
  key: string;
  /** A hash of what the request asks (method, path, query, body): the same key with another is a 422. */
  requestHash: string;
  now: Date;
}

/** What answers a request: the handler's own result, or the stored answer of the first request. */
export type IdempotentOutcome<R> =
  { replayed: false; result: R } | { replayed: true; status: number; body: unknown };

/**
 * Idempotency keys in Postgres, atomic with the work they guard. A key is held, checked, run and
 * stored in ONE transaction (`db.txScope`), which the handler's own queries join: the first request
 * with a key commits its work and its stored answer together, or neither. So a handler that throws,
 * a process that dies, or an answer that cannot be stored leaves nothing behind, the key included,
 * and a retry runs the work exactly once more. While a request runs, its key is held by a
 * transaction-scoped advisory lock, not a row: a second request with the key is told 409
 * `REQUEST.IDEMPOTENCY_IN_PROGRESS` at once, and nothing can stay "in progress" after a crash
 * (Postgres drops the lock with the session). A later request with the same key and request gets
 * the stored answer; with another request, 422 `REQUEST.IDEMPOTENCY_KEY_REUSED`.
 */
export interface IdempotencyStore {
  /**
   * Runs `work` under the key, or answers from what the key stored.
   * @example
   * const out = await store.run({ operationId, scope, key, requestHash, now }, () => handler(input));
   * return out.replayed ? { status: out.status, body: out.body } : out.result;
   */
  run<R extends { status: number; body?: unknown }>(
    request: IdempotentRequest,
    work: () => Promise<R>,
  ): Promise<IdempotentOutcome<R>>;
  /** Housekeeping: deletes keys older than the TTL (a request also replaces its own expired key); how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** The advisory-lock namespace of idempotency keys (hashtextextended's seed; see also 7 and 42). */
const LOCK_SEED = 11;

export function createIdempotencyStore(db: Db): IdempotencyStore {
  return {
    run(request, work) {
      return db.txScope(async (tx) => {
        await hold(tx, request);
        const stored = await storedAnswer(tx, request);
        if (stored) return stored;
        const result = await work();
        await tx.query(
          'INSERT INTO idempotency_keys (operation_id, scope, key, request_hash, status, response, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [
            request.operationId,
            request.scope,
            request.key,
            request.requestHash,
            result.status,
            result.body === undefined ? null : JSON.stringify(result.body),
            request.now,
          ],
        );
        return { replayed: false, result };
      });
    },
    async purgeExpired(now) {
      const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
      return deleteInBatches(async (limit) => {
        const result = await db.query(
          'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2)',
          [cutoff, limit],
        );
        return result.rowCount ?? 0;
      });
    },
  };
}

/** Takes the key for this transaction, or refuses: another request with it is running. */
async function hold(tx: Tx, idempotentRequest: IdempotentRequest): Promise<void> {
  const { rows } = await tx.query<{ held: boolean }>(
    'SELECT pg_try_advisory_xact_lock(hashtextextended($1, $2)) AS held',
    [
      `${idempotentRequest.operationId}\n${idempotentRequest.scope}\n${idempotentRequest.key}`,
      LOCK_SEED,
    ],
  );
  if (!rows[0]?.held)
    throw new AppError('REQUEST.IDEMPOTENCY_IN_PROGRESS', { retryAfterSeconds: 1 });
}

/**
 * The answer the key stored, if it did and is younger than the TTL. An expired key, or a claim
 * without an answer (written before claims and answers were one transaction), is deleted here.
 */
async function storedAnswer(
  tx: Tx,
  idempotentRequest: IdempotentRequest,
): Promise<{ replayed: true; status: number; body: unknown } | null> {
  const { rows } = await tx.query<{
    request_hash: string;
    status: number | null;
    response: unknown;
    created_at: Date;
  }>(
    'SELECT request_hash, status, response, created_at FROM idempotency_keys WHERE operation_id = $1 AND scope = $2 AND key = $3',
    [idempotentRequest.operationId, idempotentRequest.scope, idempotentRequest.key],
  );
  const row = rows[0];
  if (!row) return null;
  const expired =
    row.created_at.getTime() < idempotentRequest.now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000;
  if (expired || row.status === null) {
    await tx.query(
      'DELETE FROM idempotency_keys WHERE operation_id = $1 AND scope = $2 AND key = $3',
      [idempotentRequest.operationId, idempotentRequest.scope, idempotentRequest.key],
    );
    return null;
  }
  if (row.request_hash !== idempotentRequest.requestHash)
    throw new AppError('REQUEST.IDEMPOTENCY_KEY_REUSED');
  return { replayed: true, status: row.status, body: row.response };
}
