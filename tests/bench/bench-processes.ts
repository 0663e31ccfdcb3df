import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/shared/db/embedded.js';

/** The bench's Postgres database and server processes, for http.bench.ts. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

// ---------------------------------------------------------------------------------------------
// Postgres: a throwaway bench database, migrated here so server start excludes migrations.

export async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function benchDatabase(): Promise<{
  url: string;
  source: string;
  drop(): Promise<void>;
}> {
  let adminUrl = process.env['DATABASE_URL'];
  let source = 'DATABASE_URL';
  let embedded: EmbeddedDatabase | null = null;
  let dir: string | null = null;
  if (!adminUrl) {
    if (await answers(LOCAL_PG)) {
      adminUrl = LOCAL_PG;
      source = 'local Postgres';
    } else {
      dir = mkdtempSync(path.join(os.tmpdir(), 'bk-bench-pg-'));
      embedded = await startEmbeddedPostgres({
        dataDir: path.join(dir, 'data'),
        port: await freePort(),
        persistent: false,
        database: 'postgres',
      });
      adminUrl = embedded.url;
      source = 'embedded Postgres';
    }
  }
  const name = `bk_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    source,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Servers, each in a child process that prints one JSON "ready" line.

export interface Server {
  name: string;
  url: string;
  info: Record<string, unknown>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * With two or more cores, the servers run pinned to CPU 1 and this process (the load) to CPU 0, so
 * the server under test and the load generator do not steal each other's core, whichever server it
 * is. BENCH_PIN=0 turns it off.
 */
export const PIN =
  process.env['BENCH_PIN'] !== '0' &&
  os.cpus().length >= 2 &&
  spawnSync('taskset', ['-p', '-c', '0', String(process.pid)]).status === 0;

export function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const args = [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'tests/bench/servers', script)];
    const child = spawn(
      PIN ? 'taskset' : process.execPath,
      PIN ? ['-c', '1', process.execPath, ...args] : args,
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${stderr}`)));
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line) as Record<string, unknown>;
      resolve({
        name,
        url: `http://127.0.0.1:${info['port']}`,
        info,
        child,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    });
  });
}
