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
let testApp: TestApp;
let count = 0;
const ip = () => `198.51.100.${++count}`;

beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

async function sessionIds(userId: string): Promise<string[]> {
  const result = await testApp.app.db.query<{ id: string }>(
    'SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
  return result.rows.map((row) => row.id);
}

describe('housekeeping of identity data', () => {
  it('when sessions ended over a week ago, then they are deleted, while live sessions and recently ended ones stay and still work', async () => {
    const user = await insertUser(testApp);
    // Day 0: one session that is logged out, one that simply goes idle.
    const loggedOut = await signIn(testApp, 'client', user.email, user.password, ip());
    await testApp.api(loggedOut.headers(), { ip: ip() }).POST('/api/v1/client/auth/logout');
    await signIn(testApp, 'client', user.email, user.password, ip());
    const old = await sessionIds(user.id);
    expect(old).toHaveLength(2);

    // Day 8: a session logged out yesterday, and one in use now.
    testApp.clock.advance(7 * DAY);
    const yesterday = await signIn(testApp, 'client', user.email, user.password, ip());
    await testApp.api(yesterday.headers(), { ip: ip() }).POST('/api/v1/client/auth/logout');
    testApp.clock.advance(DAY);
    const live = await signIn(testApp, 'client', user.email, user.password, ip());
    const kept = (await sessionIds(user.id)).filter((id) => !old.includes(id));
    expect(kept).toHaveLength(2);

    const deleted = await testApp.app.identity.purgeExpired(testApp.clock.now());
    expect(deleted.sessions).toBeGreaterThanOrEqual(2);
    expect(await sessionIds(user.id)).toEqual(kept);
    expect(
      (await testApp.api(live.headers(), { ip: ip() }).GET('/api/v1/client/auth/me')).response
        .status,
    ).toBe(200);
  });

  it('when a sign-in throttle key holds nothing any more, then it is deleted, while keys with recent failures, a running wait or a known network stay', async () => {
    const spent = await insertUser(testApp);
    const owner = await insertUser(testApp);
    const waiting = await insertUser(testApp);
    const [spentIp, ownerIp, guesserIp] = [ip(), ip(), ip()];
    const wrong = (email: string, from: string) =>
      login(testApp, 'client', { email, password: 'not the password at all' }, from);
    const rows = async () =>
      (
        await testApp.app.db.query<{ account: string; network: string }>(
          `SELECT account, network FROM sign_in_throttle
            WHERE account = ANY($1) OR network = ANY($2)`,
          [
            [spent.email, owner.email, waiting.email],
            [spentIp, ownerIp, guesserIp],
          ],
        )
      ).rows
        .map((row) => `${row.account}|${row.network}`)
        .sort();
    const keysOf = (email: string, network: string) =>
      [`${email}|${network}`, `${email}|`, `|${network}`].sort();

    // Minute 0: one failure. Minute 30: the owner signs in (a known network from now on).
    await wrong(spent.email, spentIp);
    testApp.clock.advance(30 * 60_000);
    expect((await login(testApp, 'client', owner, ownerIp)).response.status).toBe(200);

    // Minute 59: the failure is not an hour old yet; nothing is spent.
    testApp.clock.advance(29 * 60_000);
    await testApp.app.identity.purgeExpired(testApp.clock.now());
    expect(await rows()).toEqual(
      [...keysOf(spent.email, spentIp), ...keysOf(owner.email, ownerIp)].sort(),
    );

    // Minute 91: the failure is forgotten and its keys go; of the owner's keys only the known
    // network stays. A guesser meanwhile runs into a wait, which a purge does not lift.
    testApp.clock.advance(32 * 60_000);
    for (let index = 0; index < 4; index++) await wrong(waiting.email, guesserIp);
    const deleted = await testApp.app.identity.purgeExpired(testApp.clock.now());
    expect(deleted.throttleKeys).toBeGreaterThanOrEqual(5);
    expect(await rows()).toEqual(
      [`${owner.email}|${ownerIp}`, ...keysOf(waiting.email, guesserIp)].sort(),
    );
    expect((await login(testApp, 'client', waiting, guesserIp)).response.status).toBe(429);

    // 30 days on, the known network is forgotten too.
    testApp.clock.advance(30 * DAY);
    await testApp.app.identity.purgeExpired(testApp.clock.now());
    expect(await rows()).toEqual([]);
  });

  it('when idempotency keys are older than their 24 hours, then they are deleted and younger ones stay', async () => {
    const store = createIdempotencyStore(testApp.app.db);
    const scope = `test:${randomUUID()}`;
    const answer = async () => ({ status: 201, body: { ok: true } });
    const request = (key: string) => ({
      operationId: 'submitEnquiry',
      scope,
      key,
      requestHash: 'h',
      now: testApp.clock.now(),
    });
    await store.run(request('old'), answer);
    testApp.clock.advance(23 * 3_600_000);
    await store.run(request('young'), answer);
    testApp.clock.advance(2 * 3_600_000);
    expect(await store.purgeExpired(testApp.clock.now())).toBeGreaterThanOrEqual(1);
    const left = await testApp.app.db.query<{ key: string }>(
      'SELECT key FROM idempotency_keys WHERE scope = $1',
      [scope],
    );
    expect(left.rows.map((row) => row.key)).toEqual(['young']);
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
    await new Promise((result) => setImmediate(result));
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
