import { AppError } from '../errors/app-error.js';
import type { Db } from '../db/db.js';
import { deleteInBatches } from '../jobs/housekeeping.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;

export type IdempotencyClaim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

/**
 * Idempotency keys in Postgres: the first request with a key claims it (a unique row), later ones
 * with the same body get the stored response, with another body a 422, and while the first is
 * still running a 409.
 */
export interface IdempotencyStore {
  claim(
    operationId: string,
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
  ): Promise<IdempotencyClaim>;
  complete(
    operationId: string,
    scope: string,
    key: string,
    status: number,
    body: unknown,
  ): Promise<void>;
  release(operationId: string, scope: string, key: string): Promise<void>;
  /** Housekeeping: deletes keys older than the TTL (a claim also replaces its own expired key); how many. */
  purgeExpired(now: Date): Promise<number>;
}

export function createIdempotencyStore(db: Db): IdempotencyStore {
  return {
    async claim(operationId, scope, key, requestHash, now) {
      const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
      await db.query(
        'DELETE FROM idempotency_keys WHERE operation_id = $1 AND scope = $2 AND key = $3 AND created_at < $4',
        [operationId, scope, key, cutoff],
      );
      const inserted = await db.query(
        'INSERT INTO idempotency_keys (operation_id, scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1',
        [operationId, scope, key, requestHash, now],
      );
      if (inserted.rowCount === 1) return { kind: 'new' };
      const { rows } = await db.query<{
        request_hash: string;
        status: number | null;
        response: unknown;
      }>(
        'SELECT request_hash, status, response FROM idempotency_keys WHERE operation_id = $1 AND scope = $2 AND key = $3',
        [operationId, scope, key],
      );
      const row = rows[0];
      if (!row) return this.claim(operationId, scope, key, requestHash, now);
      if (row.request_hash !== requestHash) throw new AppError('REQUEST.IDEMPOTENCY_KEY_REUSED');
      if (row.status === null)
        throw new AppError('REQUEST.IDEMPOTENCY_IN_PROGRESS', { retryAfterSeconds: 1 });
      return { kind: 'replay', status: row.status, body: row.response };
    },
    async complete(operationId, scope, key, status, body) {
      await db.query(
        'UPDATE idempotency_keys SET status = $4, response = $5 WHERE operation_id = $1 AND scope = $2 AND key = $3',
        [operationId, scope, key, status, body === undefined ? null : JSON.stringify(body)],
      );
    },
    async release(operationId, scope, key) {
      await db.query(
        'DELETE FROM idempotency_keys WHERE operation_id = $1 AND scope = $2 AND key = $3 AND status IS NULL',
        [operationId, scope, key],
      );
    },
    async purgeExpired(now) {
      const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
      return deleteInBatches(async (limit) => {
        const r = await db.query(
          'DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2)',
          [cutoff, limit],
        );
        return r.rowCount ?? 0;
      });
    },
  };
}
