import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectReady, until } from '../realtime/support.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';

const MIN = 60_000;
let testApp: TestApp;

beforeAll(async () => {
  // A fast WS heartbeat, so the instance refreshes its presence rows within milliseconds.
  testApp = await startTestApp({ env: { BK_WS_HEARTBEAT_MS: '50' } });
});
afterAll(async () => {
  await testApp?.close();
});

async function presenceRows(userId: string): Promise<{ connection_id: string; seen_at: Date }[]> {
  const result = await testApp.app.db.query<{ connection_id: string; seen_at: Date }>(
    'SELECT connection_id, seen_at FROM chat_presence WHERE user_id = $1 ORDER BY connection_id',
    [userId],
  );
  return result.rows;
}

describe('presence when an instance dies with sockets open', () => {
  it('when an instance stops refreshing its presence rows, then housekeeping deletes them, while a live instance keeps its own rows fresh', async () => {
    const demo = await testApp.app.identity.seedDemoUsers();
    const client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const userId = client.body.user.id as string;
    // A row left by an instance that crashed ten minutes ago.
    await testApp.app.db.query(
      'INSERT INTO chat_presence (connection_id, user_id, connected_at, seen_at) VALUES ($1, $2, $3, $3)',
      ['dead-instance-socket', userId, new Date(testApp.clock.nowMs() - 10 * MIN)],
    );
    const ws = await connectReady(testApp.baseUrl.replace(/^http/, 'ws'), 'client', client.cookie);
    await until(async () => (await presenceRows(userId)).length === 2);

    // Ten minutes on, this instance's heartbeat has marked its own socket as seen again.
    testApp.clock.advance(10 * MIN);
    await until(async () =>
      (await presenceRows(userId)).some(
        (result) =>
          result.connection_id !== 'dead-instance-socket' &&
          result.seen_at.getTime() === testApp.clock.nowMs(),
      ),
    );

    expect(await testApp.app.chat.purgeStalePresence(testApp.clock.now())).toBe(1);
    const left = await presenceRows(userId);
    expect(left).toHaveLength(1);
    expect(left[0]!.connection_id).not.toBe('dead-instance-socket');

    // With the dead row gone, closing the last real socket takes the user offline (no row left).
    ws.ws.close();
    await until(async () => (await presenceRows(userId)).length === 0);
  });
});
