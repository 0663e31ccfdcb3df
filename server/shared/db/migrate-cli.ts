/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded Postgres in
 * `.data/` when DATABASE_URL is unset.
 */
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { createDb } from './db.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrate, pendingMigrations } from './migrate.js';

async function main(): Promise<void> {
  // Only the database settings are read here, so the development default cannot open anything up;
  // it lets `npm run migrate` reach the embedded Postgres of `npm start`.
  const config = loadConfig(undefined, [], {}, { defaultEnv: 'development' });
  const embedded =
    config.databaseUrl === null
      ? await startEmbeddedPostgres({
          dataDir: path.join(config.dataDir, 'postgres'),
          port: config.embeddedPostgresPort,
          sharedDir: config.embeddedPostgresSharedDir,
        })
      : null;
  const db = createDb(config.databaseUrl ?? embedded!.url, { max: 1 });
  try {
    const applied = await migrate(db);
    const pending = await pendingMigrations(db);
    process.stdout.write(
      applied.length
        ? `applied: ${applied.join(', ')}\n`
        : 'nothing to apply: the database is up to date\n',
    );
    if (pending.length) throw new Error(`still pending: ${pending.join(', ')}`);
  } finally {
    await db.close();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
