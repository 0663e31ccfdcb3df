import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdempotencyStore } from '../../server/shared/http/idempotency.js';
import { createHousekeeping } from '../../server/shared/jobs/housekeeping.js';
import { createLogger } from '../../server/shared/logging/logger.js';
import { manualClock } from '../../server/shared/time/clock.js';
import { LogCapture, signIn, startTestApp, type TestApp } from '../support/app.js';
import { insertUser, login } from './identity-fixtures.js';

const DAY = 24 * 3_600_000;
let t: TestApp;
let n = 0;
const ip = () => `198.51.100.${++n}`;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function sessionIds(userId: string): Promise<string[]> {
  const r = await t.app.db.query<{ id: string }>(
    'SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
  return r.rows.map((row) => row.id);
}

describe('housekeeping of identity data', () => {
  it('when sessions ended over a week ago, then they are deleted, while live sessions and recently ended ones stay and still work', async () => {
    const u = await insertUser(t);
    // Day 0: one session that is logged out, one that simply goes idle.
    const loggedOut = await signIn(t, 'client', u.email, u.password, ip());
    await t.api(loggedOut.headers(), { ip: ip() }).POST('/api/v1/client/auth/logout');
    await signIn(t, 'client', u.email, u.password, ip());
    const old = await sessionIds(u.id);
    expect(old).toHaveLength(2);

    // Day 8: a session logged out yesterday, and one in use now.
    t.clock.advance(7 * DAY);
    const yesterday = await signIn(t, 'client', u.email, u.password, ip());
    await t.api(yesterday.headers(), { ip: ip() }).POST('/api/v1/client/auth/logout');
    t.clock.advance(DAY);
    const live = await signIn(t, 'client', u.email, u.password, ip());
    const kept = (await sessionIds(u.id)).filter((id) => !old.includes(id));
    expect(kept).toHaveLength(2);

    const deleted = await t.app.identity.purgeExpired(t.clock.now());
    expect(deleted.sessions).toBeGreaterThanOrEqual(2);
    expect(await sessionIds(u.id)).toEqual(kept);
    expect(
      (await t.api(live.headers(), { ip: ip() }).GET('/api/v1/client/auth/me')).response.status,
    ).toBe(200);
  });

  it('when a throttle window is over, then its key is deleted, but a key that still holds a lock stays and still refuses sign-in', async () => {
    const spent = await insertUser(t);
    const locked = await insertUser(t);
    const wrong = (email: string) =>
      login(t, 'client', { email, password: 'not the password at all' }, ip());
    const keys = async () =>
      (
        await t.app.db.query<{ key: string }>(
          'SELECT key FROM login_throttle WHERE key = ANY($1)',
          [[`account:${spent.email}`, `account:${locked.email}`]],
        )
      ).rows
        .map((r) => r.key)
        .sort();
    // Minute 0: one failure for one account. Minute 10: enough failures to lock the other.
    await wrong(spent.email);
    t.clock.advance(10 * 60_000);
    for (let i = 0; i < 5; i++) await wrong(locked.email);
    expect(
      (await login(t, 'client', { email: locked.email, password: locked.password }, ip())).response
        .status,
    ).toBe(429);

    // Minute 14: the first key's 15-minute window is still open, so nothing is spent yet.
    t.clock.advance(4 * 60_000);
    await t.app.identity.purgeExpired(t.clock.now());
    expect(await keys()).toEqual([`account:${locked.email}`, `account:${spent.email}`].sort());

    // Minute 16: the first key's window is over; the other is locked until minute 25.
    t.clock.advance(2 * 60_000);
    const deleted = await t.app.identity.purgeExpired(t.clock.now());
    expect(deleted.throttleKeys).toBeGreaterThanOrEqual(1);
    expect(await keys()).toEqual([`account:${locked.email}`]);
    expect(
      (await login(t, 'client', { email: locked.email, password: locked.password }, ip())).response
        .status,
    ).toBe(429);
  });

  it('when idempotency keys are older than their 24 hours, then they are deleted and younger ones stay', async () => {
    const store = createIdempotencyStore(t.app.db);
    const scope = `test:${randomUUID()}`;
    await store.claim('submitEnquiry', scope, 'old', 'h', t.clock.now());
    await store.complete('submitEnquiry', scope, 'old', 201, { ok: true });
    t.clock.advance(23 * 3_600_000);
    await store.claim('submitEnquiry', scope, 'young', 'h', t.clock.now());
    t.clock.advance(2 * 3_600_000);
    expect(await store.purgeExpired(t.clock.now())).toBeGreaterThanOrEqual(1);
    const left = await t.app.db.query<{ key: string }>(
      'SELECT key FROM idempotency_keys WHERE scope = $1',
      [scope],
    );
    expect(left.rows.map((r) => r.key)).toEqual(['young']);
  });
});

describe('the housekeeping timer', () => {
  it('when one task fails, then the others still run, the failure is logged, and deletions are logged with their counts', async () => {
    const logs = new LogCapture();
    const log = createLogger({ level: 'info', destination: logs });
    const ran: string[] = [];
    const housekeeping = createHousekeeping({
      log,
      clock: manualClock(new Date('2026-11-27T12:00:00Z')),
      intervalMs: 60_000,
      tasks: [
        {
          name: 'broken',
          run: async () => {
            ran.push('broken');
            throw new Error('database went away');
          },
        },
        {
          name: 'sessions',
          run: async (now) => {
            ran.push(`sessions@${now.toISOString()}`);
            return { sessions: 3 };
          },
        },
      ],
    });
    const deleted = await housekeeping.runOnce();
    await housekeeping.close();
    expect(ran).toEqual(['broken', 'sessions@2026-11-27T12:00:00.000Z']);
    expect(deleted).toEqual({ sessions: { sessions: 3 } });
    await new Promise((r) => setImmediate(r));
    expect(logs.text).toContain('database went away');
    expect(logs.text).toContain('housekeeping deleted expired rows');
  });

  it('when the API runs its background work inline, then its timer deletes expired rows without being asked', async () => {
    const app = await startTestApp({ env: { BK_HOUSEKEEPING_INTERVAL_MS: '1000' } });
    try {
      const stale = new Date(app.clock.nowMs() - 2 * DAY);
      await app.app.db.query(
        "INSERT INTO idempotency_keys (operation_id, scope, key, request_hash, created_at) VALUES ('submitEnquiry', 'anonymous', 'stale', 'h', $1)",
        [stale],
      );
      for (let i = 0; i < 100; i++) {
        const r = await app.app.db.query("SELECT 1 FROM idempotency_keys WHERE key = 'stale'");
        if (r.rowCount === 0) break;
        await new Promise((done) => setTimeout(done, 100));
      }
      expect(
        (await app.app.db.query("SELECT 1 FROM idempotency_keys WHERE key = 'stale'")).rowCount,
      ).toBe(0);
      expect(app.logs.text).toContain('housekeeping deleted expired rows');
    } finally {
      await app.close();
    }
  });
});
