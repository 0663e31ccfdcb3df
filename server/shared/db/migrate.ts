import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { sha256Hex } from '../crypto/tokens.js';
import type { Db, Queryable } from './db.js';

/** The SQL migrations folder: `server/migrations/NNNN_name.sql`, applied in name order. */
export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

// Any constant works: it only has to be the same for every instance of this application.
const MIGRATION_LOCK = 7_342_001;
/** A migration (or the wait for another instance's) may take longer than any request: 24 days, the timer's limit. */
const NO_CLIENT_TIMEOUT = 2 ** 31 - 1;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((field) => /^\d{4}_[a-z0-9_]+\.sql$/.test(field))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return { version: file.slice(0, 4), name: file.slice(5, -4), sql, checksum: sha256Hex(sql) };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so two
 * instances starting together do not race. An applied migration whose file changed is an error.
 * @example
 * const applied = await migrate(db); // ['0001_core', ...]
 */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = await db.connect();
  const applied: string[] = [];
  // The pool's timeouts are for requests: this connection lifts them, and is not handed back.
  // pg honours a per-query query_timeout; its type definitions do not declare it.
  const run = (text: string, values?: unknown[]): Promise<pg.QueryResult> =>
    client.query({
      text,
      ...(values ? { values } : {}),
      query_timeout: NO_CLIENT_TIMEOUT,
    } as pg.QueryConfig);
  try {
    await run('SET statement_timeout = 0');
    await run('SET idle_in_transaction_session_timeout = 0');
    await run('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Map(
      (await run('SELECT version, name, checksum FROM schema_migrations')).rows.map(
        (row: { version: string; checksum: string; name: string }) => [row.version, row],
      ),
    );
    for (const migration of migrations) {
      const prior = done.get(migration.version);
      if (prior) {
        if (prior.checksum !== migration.checksum)
          throw new MigrationError(
            `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
          );
        continue;
      }
      try {
        await run('BEGIN');
        await run(migration.sql);
        await run('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await run('COMMIT');
        applied.push(`${migration.version}_${migration.name}`);
      } catch (err) {
        await run('ROLLBACK');
        throw new MigrationError(
          `migration ${migration.version}_${migration.name} failed: ${(err as Error).message}`,
        );
      }
    }
  } finally {
    await run('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release(true);
  }
  return applied;
}

/** Migrations on disk that the database has not applied (readiness fails while any remain). */
export async function pendingMigrations(
  db: Queryable,
  dir: string = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrations = readMigrations(dir);
  const exists = await db.query<{ t: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (!exists.rows[0]?.t)
    return migrations.map((migration) => `${migration.version}_${migration.name}`);
  const done = new Set(
    (await db.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map(
      (row) => row.version,
    ),
  );
  return migrations
    .filter((migration) => !done.has(migration.version))
    .map((migration) => `${migration.version}_${migration.name}`);
}
