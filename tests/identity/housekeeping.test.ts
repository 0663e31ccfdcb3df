import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdempotencyStore } from '../../server/shared/http/idempotency.js';
import { createHousekeeping } from '../../server/shared/jobs/housekeeping.js';
import { createLogger } from '../../server/shared/logging/logger.js';
import { manualClock } from '../../server/shared/time/clock.js';
import { LogCapture, signIn, startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait.js';
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

  it('when a sign-in throttle key holds nothing any more, then it is deleted, while keys with recent failures, a running wait or a known network stay', async () => {
    const spent = await insertUser(t);
    const owner = await insertUser(t);
    const waiting = await insertUser(t);
    const [spentIp, ownerIp, guesserIp] = [ip(), ip(), ip()];
    const wrong = (email: string, from: string) =>
      login(t, 'client', { email, password: 'not the password at all' }, from);
    const rows = async () =>
      (
        await t.app.db.query<{ account: string; network: string }>(
          `SELECT account, network FROM sign_in_throttle
            WHERE account = ANY($1) OR network = ANY($2)`,
          [
            [spent.email, owner.email, waiting.email],
            [spentIp, ownerIp, guesserIp],
          ],
        )
      ).rows
        .map((r) => `${r.account}|${r.network}`)
        .sort();
    const keysOf = (email: string, network: string) =>
      [`${email}|${network}`, `${email}|`, `|${network}`].sort();

    // Minute 0: one failure. Minute 30: the owner signs in (a known network from now on).
    await wrong(spent.email, spentIp);
    t.clock.advance(30 * 60_000);
    expect((await login(t, 'client', owner, ownerIp)).response.status).toBe(200);

    // Minute 59: the failure is not an hour old yet; nothing is spent.
    t.clock.advance(29 * 60_000);
    await t.app.identity.purgeExpired(t.clock.now());
    expect(await rows()).toEqual(
      [...keysOf(spent.email, spentIp), ...keysOf(owner.email, ownerIp)].sort(),
    );

    // Minute 91: the failure is forgotten and its keys go; of the owner's keys only the known
    // network stays. A guesser meanwhile runs into a wait, which a purge does not lift.
    t.clock.advance(32 * 60_000);
    for (let i = 0; i < 4; i++) await wrong(waiting.email, guesserIp);
    const deleted = await t.app.identity.purgeExpired(t.clock.now());
    expect(deleted.throttleKeys).toBeGreaterThanOrEqual(5);
    expect(await rows()).toEqual(
      [`${owner.email}|${ownerIp}`, ...keysOf(waiting.email, guesserIp)].sort(),
    );
    expect((await login(t, 'client', waiting, guesserIp)).response.status).toBe(429);

    // 30 days on, the known network is forgotten too.
    t.clock.advance(30 * DAY);
    await t.app.identity.purgeExpired(t.clock.now());
    expect(await rows()).toEqual([]);
  });

  it('when idempotency keys are older than their 24 hours, then they are deleted and younger ones stay', async () => {
    const store = createIdempotencyStore(t.app.db);
    const scope = `test:${randomUUID()}`;
    const answer = async () => ({ status: 201, body: { ok: true } });
    const request = (key: string) => ({
      operationId: 'submitEnquiry',
      scope,
      key,
      requestHash: 'h',
      now: t.clock.now(),
    });
    await store.run(request('old'), answer);
    t.clock.advance(23 * 3_600_000);
    await store.run(request('young'), answer);
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
      // The pass logs its counts after all its tasks ran: wait for the line, not only the delete.
      await waitFor(
        async () =>
          (await app.app.db.query("SELECT 1 FROM idempotency_keys WHERE key = 'stale'"))
            .rowCount === 0 && app.logs.text.includes('housekeeping deleted expired rows'),
        { what: 'a housekeeping pass to delete the stale key', stepMs: 50 },
      );
      expect(
        (await app.app.db.query("SELECT 1 FROM idempotency_keys WHERE key = 'stale'")).rowCount,
      ).toBe(0);
      expect(app.logs.text).toContain('housekeeping deleted expired rows');
    } finally {
      await app.close();
    }
  });
});
