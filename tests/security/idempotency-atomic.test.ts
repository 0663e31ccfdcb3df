/**
 * Idempotency is atomic with the work (issue 11 point 9). A guard is built around one real
 * operation that honours `Idempotency-Key` (submitEnquiry) with a handler of the test's own: it
 * writes a probe row through `db.tx`, as a use-case does, then answers, fails, or waits to be let
 * go. The probe rows say how many times the handler's work took effect. Faults are injected in
 * Postgres itself: a backend terminated mid-request (what a crashed process leaves behind) and a
 * trigger that refuses to store a completed key.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../generated/v1/handlers.js';
import { operationList } from '../../generated/v1/operations.js';
import { loadConfig } from '../../server/shared/config/config.js';
import { createDb, type Db } from '../../server/shared/db/db.js';
import { migrate } from '../../server/shared/db/migrate.js';
import { createIdempotencyStore } from '../../server/shared/http/idempotency.js';
import type { RequestContext } from '../../server/shared/http/request-context.js';
import { createHttpServer, type HttpServer } from '../../server/shared/http/server.js';
import { createLogger } from '../../server/shared/logging/logger.js';
import { createBalanceGuard } from '../../server/shared/security/balanceguard/balanceguard.js';
import { createRateLimiter } from '../../server/shared/security/rate-limiter.js';
import { systemClock } from '../../server/shared/time/clock.js';
import { LogCapture, ORIGINS } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { request, type RawResponse } from '../support/http.js';
import { expectProblem, freshIp } from './support.js';

const APP_NAME = 'bk-idempotency-atomic';

/** A promise with its resolve at hand (Promise.withResolvers is Node 22). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((result) => (resolve = result));
  return { promise, resolve };
}

/** What the handler does after writing its probe row. */
type Mode = 'answer' | 'throw' | 'wait';

let database: TestDatabase;
let db: Db;
let server: HttpServer;
let baseUrl: string;
let mode: Mode = 'answer';
/** Resolved when the handler has written its probe row (the key is claimed by then). */
let entered = deferred();
/** The handler in 'wait' mode waits for this. */
let gate = deferred();

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { applicationName: APP_NAME, max: 4 });
  await migrate(db);
  await db.query('CREATE TABLE idem_probe (email text NOT NULL, at timestamptz DEFAULT now())');
  // A completed key whose key is listed in idem_refuse cannot be stored.
  await db.query('CREATE TABLE idem_refuse (key text PRIMARY KEY)');
  await db.query(`
    CREATE FUNCTION idem_refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status IS NOT NULL AND EXISTS (SELECT 1 FROM idem_refuse WHERE key = NEW.key) THEN
        RAISE EXCEPTION 'refusing to store the completion of %', NEW.key;
      END IF;
      RETURN NEW;
    END $$`);
  await db.query(
    'CREATE TRIGGER idem_refuse BEFORE INSERT OR UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION idem_refuse_completion()',
  );

  const log = createLogger({ level: 'debug', destination: new LogCapture() });
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'debug',
      BK_ACCESS_LOG: 'false',
      BK_TRUSTED_PROXIES: '127.0.0.1',
      DATABASE_URL: database.url,
    },
    [],
  );
  const submitEnquiry = async ({ body }: { body: { email: string } }) => {
    await db.tx((tx) => tx.query('INSERT INTO idem_probe (email) VALUES ($1)', [body.email]));
    entered.resolve();
    if (mode === 'throw') throw new Error('the handler failed after its work');
    if (mode === 'wait') await gate.promise;
    return {
      status: 201,
      body: { id: randomUUID(), status: 'received', receivedAt: new Date().toISOString() },
    };
  };
  const guard = createBalanceGuard({
    config,
    log,
    clock: systemClock,
    operations: operationList.filter((op) => op.operationId === 'submitEnquiry'),
    handlers: { submitEnquiry } as unknown as Handlers<RequestContext>,
    sessions: { resolve: async () => null },
    idempotency: createIdempotencyStore(db),
    rateLimiter: createRateLimiter(),
  });
  server = createHttpServer({ handler: guard, log, production: false });
  baseUrl = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await server?.close(1_000);
  await db?.close();
  await database?.drop();
});

beforeEach(() => {
  mode = 'answer';
  entered = deferred();
  gate = deferred();
});

const enquiry = () => ({
  name: 'Ada',
  email: `ada-${randomUUID().slice(0, 8)}@example.com`,
  message: 'Meals for two?',
});
const submit = (body: object, key: string): Promise<RawResponse> =>
  request(baseUrl, {
    method: 'POST',
    path: '/api/v1/site/enquiries',
    headers: { origin: ORIGINS.site, 'idempotency-key': key, 'x-forwarded-for': freshIp() },
    body,
  });
const probes = async (email: string) =>
  (
    await db.query<{ n: number }>('SELECT count(*)::int AS n FROM idem_probe WHERE email = $1', [
      email,
    ])
  ).rows[0]!.n;

describe('Idempotency-Key claims and completes in the work’s own transaction', () => {
  it('when the handler fails after its work, then none of its work stays and the same key runs again at once', async () => {
    const key = randomUUID();
    const body = enquiry();
    mode = 'throw';
    const failed = await submit(body, key);
    expectProblem(failed, 500, 'SERVER.INTERNAL');
    expect(await probes(body.email)).toBe(0);

    mode = 'answer';
    const retried = await submit(body, key);
    expect(retried.status, retried.text).toBe(201);
    expect(await probes(body.email)).toBe(1);
  });

  it('when the process dies mid-request (its database session ends), then the key is not stuck in progress: a retry runs at once, and once', async () => {
    const key = randomUUID();
    const body = enquiry();
    mode = 'wait';
    const first = submit(body, key);
    await entered.promise;
    // What a crash leaves: every connection of the instance gone, the request never finished.
    await db.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [APP_NAME],
    );

    mode = 'answer';
    const retried = await submit(body, key);
    expect(retried.status, retried.text).toBe(201);
    gate.resolve();
    await first;
    const again = await submit(body, key);
    expect(again.status).toBe(201);
    expect(again.json<{ id: string }>().id).toBe(retried.json<{ id: string }>().id);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(await probes(body.email)).toBe(1);
  });

  it('when storing the completion fails, then the work is undone with it and the retry runs the handler once', async () => {
    const key = `refused-${randomUUID()}`;
    const body = enquiry();
    await db.query('INSERT INTO idem_refuse (key) VALUES ($1)', [key]);
    const failed = await submit(body, key);
    expect(failed.status).toBeGreaterThanOrEqual(500);

    await db.query('DELETE FROM idem_refuse WHERE key = $1', [key]);
    const retried = await submit(body, key);
    expect(retried.status, retried.text).toBe(201);
    expect(await probes(body.email)).toBe(1);
  });

  it('when two requests with one key run at once, then the handler runs once: the other is told 409 in progress, and a later one gets the stored answer', async () => {
    const key = randomUUID();
    const body = enquiry();
    mode = 'wait';
    const first = submit(body, key);
    await entered.promise;
    const second = await submit(body, key);
    expectProblem(second, 409, 'REQUEST.IDEMPOTENCY_IN_PROGRESS');
    expect(second.headers['retry-after']).toBeDefined();

    gate.resolve();
    const done = await first;
    expect(done.status, done.text).toBe(201);
    const third = await submit(body, key);
    expect(third.status).toBe(201);
    expect(third.json<{ id: string }>().id).toBe(done.json<{ id: string }>().id);
    expect(await probes(body.email)).toBe(1);
  });

  it('when a key is reused with another body, then 422 REQUEST.IDEMPOTENCY_KEY_REUSED and the handler does not run', async () => {
    const key = randomUUID();
    const first = await submit(enquiry(), key);
    expect(first.status).toBe(201);
    const other = enquiry();
    expectProblem(await submit(other, key), 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
    expect(await probes(other.email)).toBe(0);
  });
});
