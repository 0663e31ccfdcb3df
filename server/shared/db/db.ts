import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { rethrowUnavailable } from './unavailable.js';

/** Anything that runs parameterized SQL: the pool or a transaction. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
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
  tx<T>(
    fn: (tx: Tx) => Promise<T>,
    options?: { isolation?: 'read committed' | 'repeatable read' | 'serializable' },
  ): Promise<T>;
  /**
   * Runs `fn` in one transaction that everything `fn` starts joins: every `query` and `tx` on this
   * Db made in `fn`'s async context runs on that transaction, a nested `tx` as a savepoint (rolled
   * back alone when it throws). So work that knows nothing of it (a handler and its use-cases)
   * commits or rolls back as one with what the caller writes around it. Nested transactions take
   * the scope's isolation and are not retried alone (a serialization failure or deadlock retries
   * the whole scope); they must not run in parallel. Holds one connection until `fn` settles.
   * @example
   * await db.txScope(async (tx) => { await tx.query('insert key ...'); await handler(); });
   */
  txScope<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A dedicated client for LISTEN; released by the caller. */
  connect(): Promise<pg.PoolClient>;
  close(): Promise<void>;
  readonly pool: pg.Pool;
}

const RETRYABLE = new Set(['40001', '40P01']);
const ignoreClientError = (): void => undefined;

// Return int8 (COUNT, BIGSERIAL) as numbers where they fit; money stays integer minor units.
pg.types.setTypeParser(20, (value: string) => {
  const count = Number(value);
  return Number.isSafeInteger(count) ? count : value;
});

/** Connection settings: every one bounds how long a request can wait on the database. */
export interface DbOptions {
  max?: number;
  applicationName?: string;
  /** Giving up on a new connection, or on a free one from a full pool (default 5 s). */
  connectTimeoutMs?: number;
  /** Postgres cancels a statement running longer (default 15 s). */
  statementTimeoutMs?: number;
  /** Postgres ends a session idle inside a transaction this long (default 2 min). */
  idleInTransactionTimeoutMs?: number;
  /** The client gives up on an answer this long (default statement timeout + 5 s): a connection that went silent. */
  queryTimeoutMs?: number;
  /** TCP keepalive's first probe after this much silence (default 10 s). */
  keepAliveMs?: number;
}

/** The pool settings a Config asks for. */
export function dbOptions(config: Config): DbOptions {
  return {
    max: config.databasePoolSize,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    idleInTransactionTimeoutMs: config.dbIdleInTransactionTimeoutMs,
    queryTimeoutMs: config.dbQueryTimeoutMs,
    keepAliveMs: config.dbKeepAliveMs,
  };
}

/**
 * A pool whose every wait is bounded (connect, statement, idle transaction, answer) and whose
 * errors that mean "the database cannot serve now" (lost or refused connections, timeouts,
 * shutdown) are thrown as SERVICE.UNAVAILABLE, so a request answers 503 with Retry-After rather
 * than hang or 500.
 * @example
 * const db = createDb(config.databaseUrl, dbOptions(config));
 */
export function createDb(connectionString: string, options: DbOptions = {}): Db {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'balance-kitchen',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 120_000,
    query_timeout: options.queryTimeoutMs ?? statementTimeoutMs + 5_000,
    // A peer that vanished (host down, connection dropped on the way) is noticed by the kernel
    // rather than never: LISTEN connections sit idle for minutes.
    keepAlive: true,
    keepAliveInitialDelayMillis: options.keepAliveMs ?? 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const query: Queryable['query'] = async (text, params) => {
    try {
      const queryResult = await pool.query(text, params as unknown[] | undefined);
      return { rows: queryResult.rows, rowCount: queryResult.rowCount ?? 0 };
    } catch (err) {
      return rethrowUnavailable(err);
    }
  };
  // The open txScope of the current async context. Enabled only while a scope runs: with none,
  // getStore() is a field read and no async hook costs anything.
  const scopes = new AsyncLocalStorage<Scope>();
  let openScopes = 0;
  const inScope = (): Scope | undefined => {
    const scope = scopes.getStore();
    return scope?.open ? scope : undefined;
  };
  return {
    pool,
    query: (text, params) => {
      const scope = inScope();
      return scope ? scope.tx.query(text, params) : query(text, params);
    },
    connect: () => pool.connect().catch(rethrowUnavailable),
    tx: (fn, opts = {}) => {
      const scope = inScope();
      if (scope) return savepoint(scope, fn);
      return transaction(pool, fn, opts).catch(rethrowUnavailable);
    },
    txScope: async (fn) => {
      openScopes++;
      try {
        return await transaction(
          pool,
          async (tx) => {
            const scope: Scope = { tx, open: true, savepoints: 0 };
            try {
              return await scopes.run(scope, fn, tx);
            } finally {
              scope.open = false;
            }
          },
          {},
        );
      } catch (err) {
        return rethrowUnavailable(err);
      } finally {
        if (--openScopes === 0) scopes.disable();
      }
    },
    close: () => pool.end(),
  };
}

/** A transaction opened by `txScope`; `open` turns false when it ends, for work still running after. */
interface Scope {
  readonly tx: Tx;
  open: boolean;
  savepoints: number;
}

/** A `tx` inside a scope: a savepoint, so it rolls back alone when `fn` throws. */
async function savepoint<T>(scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const name = `bk_tx_${++scope.savepoints}`;
  await scope.tx.query(`SAVEPOINT ${name}`);
  let result: T;
  try {
    result = await fn(scope.tx);
  } catch (err) {
    await scope.tx.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw err;
  }
  await scope.tx.query(`RELEASE SAVEPOINT ${name}`);
  return result;
}

async function transaction<T>(
  pool: pg.Pool,
  fn: (tx: Tx) => Promise<T>,
  opts: { isolation?: 'read committed' | 'repeatable read' | 'serializable' },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    // A connection lost mid-transaction fails the pending query; without a listener the
    // client's 'error' event would also crash the process.
    client.on('error', ignoreClientError);
    let released = false;
    try {
      await client.query(
        opts.isolation ? `BEGIN ISOLATION LEVEL ${opts.isolation.toUpperCase()}` : 'BEGIN',
      );
      const tx: Tx = {
        query: async (text, params) => {
          try {
            const queryResult = await client.query(text, params as unknown[] | undefined);
            return { rows: queryResult.rows, rowCount: queryResult.rowCount ?? 0 };
          } catch (err) {
            return rethrowUnavailable(err);
          }
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
}

/** True when a pg error is a unique-constraint violation (optionally of one constraint). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const entry = err as { code?: string; constraint?: string };
  return entry?.code === '23505' && (constraint === undefined || entry.constraint === constraint);
}
