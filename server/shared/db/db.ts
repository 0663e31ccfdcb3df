import pg from 'pg';

/** Anything that runs parameterized SQL: the pool or a transaction. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/** A transaction: the same API, every statement inside one BEGIN/COMMIT. */
export type Tx = Queryable;

export interface Db extends Queryable {
  /**
   * Runs `fn` in a transaction; rolls back if it throws. Serialization failures and deadlocks are
   * retried a few times, so `fn` must not have side effects outside the database.
   * @example
   * await db.tx(async (tx) => { await tx.query('insert ...'); await appendToOutbox(tx, event); });
   */
  tx<T>(fn: (tx: Tx) => Promise<T>, options?: { isolation?: 'read committed' | 'repeatable read' | 'serializable' }): Promise<T>;
  /** A dedicated client for LISTEN; released by the caller. */
  connect(): Promise<pg.PoolClient>;
  close(): Promise<void>;
  readonly pool: pg.Pool;
}

const RETRYABLE = new Set(['40001', '40P01']);
const ignoreClientError = (): void => undefined;

// Return int8 (COUNT, BIGSERIAL) as numbers where they fit; money stays integer minor units.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

export function createDb(connectionString: string, options: { max?: number; applicationName?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'balance-kitchen',
    idleTimeoutMillis: 30_000,
    // A peer that vanished (host down, connection dropped on the way) is noticed by the kernel
    // rather than never: LISTEN connections sit idle for minutes.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const query: Queryable['query'] = async (text, params) => {
    const r = await pool.query(text, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  };
  return {
    pool,
    query,
    connect: () => pool.connect(),
    async tx(fn, opts = {}) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        // A connection lost mid-transaction fails the pending query; without a listener the
        // client's 'error' event would also crash the process.
        client.on('error', ignoreClientError);
        let released = false;
        try {
          await client.query(opts.isolation ? `BEGIN ISOLATION LEVEL ${opts.isolation.toUpperCase()}` : 'BEGIN');
          const tx: Tx = {
            query: async (text, params) => {
              const r = await client.query(text, params as unknown[] | undefined);
              return { rows: r.rows, rowCount: r.rowCount ?? 0 };
            },
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch {
            client.release(true);
            released = true;
          }
          const code = (err as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < 5) continue;
          throw err;
        } finally {
          client.off('error', ignoreClientError);
          if (!released) client.release();
        }
      }
    },
    close: () => pool.end(),
  };
}

/** True when a pg error is a unique-constraint violation (optionally of one constraint). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
