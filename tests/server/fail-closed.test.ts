import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../generated/v1/client.js';
import { startApp, type App } from '../../server/main.js';
import { loadConfig } from '../../server/shared/config/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { request } from '../support/http.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Everything production needs, and no NODE_ENV: what a deploy that forgot to set it looks like. */
const ORIGINS = {
  site: 'https://site.example',
  client: 'https://client.example',
  admin: 'https://admin.example',
};
const unsetEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  PORT: '0',
  LOG_LEVEL: 'silent',
  BK_ACCESS_LOG: 'false',
  BK_SITE_ORIGINS: ORIGINS.site,
  BK_CLIENT_ORIGINS: ORIGINS.client,
  BK_ADMIN_ORIGINS: ORIGINS.admin,
  STRIPE_SECRET_KEY: 'sk_test_never_called',
  STRIPE_WEBHOOK_SECRET: 'whsec_fail_closed_suite',
});

const databases: TestDatabase[] = [];
const apps: App[] = [];
async function database(): Promise<TestDatabase> {
  const testDatabase = await createTestDatabase();
  databases.push(testDatabase);
  return testDatabase;
}
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});
afterAll(async () => {
  for (const database of databases) await database.drop();
});

describe('the server fails closed', () => {
  it('when NODE_ENV is unset, then the API runs as production: __Host- and Secure session cookies, HSTS', async () => {
    const db = await database();
    const app = await startApp({ config: loadConfig(unsetEnv(db.url)), databaseUrl: db.url });
    apps.push(app);
    expect(app.config.env).toBe('production');
    // A user to sign in as (after the start: a production start refuses demo accounts, see below).
    const demo = await app.identity.seedDemoUsers();
    const api = createApiClient({ baseUrl: app.url });
    const { response } = await api.POST('/api/v1/client/auth/login', {
      body: { email: demo.client.email, password: demo.client.password },
      headers: { origin: ORIGINS.client },
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^__Host-bk_client_session=/);
    expect(cookie.split('; ')).toContain('Secure');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('when production is started with the local payment provider anyway (config overridden), then it refuses: its checkout grants credits without payment', async () => {
    const db = await database();
    const config = loadConfig(unsetEnv(db.url), [], { stripeSecretKey: null });
    await expect(startApp({ config, databaseUrl: db.url })).rejects.toThrow(
      /local payment provider/,
    );
  });

  it('when production runs, then the local checkout page is not served', async () => {
    const db = await database();
    const app = await startApp({ config: loadConfig(unsetEnv(db.url)), databaseUrl: db.url });
    apps.push(app);
    // Raw: the local checkout page and its pay form are outside the API contract.
    const page = await request(app.url, { path: `/dev/checkout/cs_local_${'a'.repeat(24)}` });
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/application\/problem\+json/);
    // Raw: the local checkout's pay form.
    const pay = await request(app.url, {
      method: 'POST',
      path: `/dev/checkout/cs_local_${'a'.repeat(24)}/pay`,
    });
    expect(pay.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when production starts on a database that holds the demo accounts, then it refuses to start and names them', async () => {
    const db = await database();
    const dev = await startApp({
      config: loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'silent',
        BK_ACCESS_LOG: 'false',
      }),
      databaseUrl: db.url,
    });
    await dev.identity.seedDemoUsers();
    await dev.close();
    const err = await startApp({ config: loadConfig(unsetEnv(db.url)), databaseUrl: db.url }).then(
      (app) => {
        apps.push(app);
        return null;
      },
      (entry: unknown) => entry as Error,
    );
    expect(err?.message).toMatch(/demo accounts/);
    expect(err?.message).toContain('demo.admin@example.com');
    expect(err?.message).toContain('demo.client@example.com');
  });

  it('when `tsx server/main.ts` runs with NODE_ENV unset and no DATABASE_URL, then it exits 1 asking for production settings; it never boots a database or seeds demo users', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bk-fail-closed-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env))
      if (
        value !== undefined &&
        !key.startsWith('BK_') &&
        !['NODE_ENV', 'DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'].includes(key)
      )
        env[key] = value;
    // Were it to start anyway (the unfixed default), keep it off the developer's .data and ports.
    Object.assign(env, { BK_DATA_DIR: dataDir, BK_EMBEDDED_PG_PORT: '54391', PORT: '0' });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // Whichever comes first: the exit, or the sign that it started (then it is stopped here).
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.stdout.on('data', () => {
        if (/api listening|Balance Kitchen API on/.test(out)) {
          child.kill('SIGTERM');
        }
      });
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(out).not.toMatch(/api listening/);
    expect(code).toBe(1);
    expect(out).toMatch(/DATABASE_URL is required in production/);
  });
});
