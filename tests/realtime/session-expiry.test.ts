import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait.js';
import { connectReady, frame, startInstance, type Client, type Instance } from './support.js';

const MIN = 60_000;
let testApp: TestApp;
let instance: Instance;
let demo: Awaited<ReturnType<TestApp['app']['identity']['seedDemoUsers']>>;

beforeAll(async () => {
  testApp = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
  demo = await testApp.app.identity.seedDemoUsers();
  // A fast heartbeat, so an expiry on the (manual) clock is noticed within a few milliseconds.
  instance = await startInstance(testApp, { config: { wsHeartbeatMs: 50 } });
});
afterAll(async () => {
  await instance?.close();
  await testApp?.close();
});

type Outcome = { outcome: 'renewed' } | { outcome: 'closed'; code: number; reason: string };

/**
 * Sends a frame (activity) on a user socket and waits for what it led to: 'renewed' once the
 * socket's session was found live again and the socket holds its new expiry, or 'closed' when the
 * socket was closed instead (with its code and reason).
 */
async function activity(ws: Client): Promise<Outcome> {
  const lookups = instance.sessionLookups();
  let closed: Outcome | null = null;
  void ws.closed.then((item) => (closed = { outcome: 'closed', ...item }));
  ws.send(frame('chat.typing', { conversationId: randomUUID(), isTyping: true }));
  return waitFor(
    () => closed ?? (instance.sessionLookups() > lookups ? { outcome: 'renewed' } : null),
    {
      what: 'the frame to renew the session or the socket to close',
    },
  );
}

describe('a socket outlives neither its session nor its idle timeout', () => {
  it('when a quiet admin socket passes the 15-minute idle timeout, then it is closed 4001 and the session is not kept alive by it', async () => {
    const admin = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
    const ws = await connectReady(instance.wsUrl, 'admin', admin.cookie);
    testApp.clock.advance(16 * MIN);
    const closed = await ws.closed;
    expect(closed.code).toBe(4001);
    expect(closed.reason).toContain('expired');
    const me = await admin.api.GET('/api/v1/admin/auth/me');
    expect(me.response.status).toBe(401);
  });

  it('when a client socket keeps sending frames, then that activity renews the session past its first idle expiry; once quiet, it is closed 4001', async () => {
    const client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const ws = await connectReady(instance.wsUrl, 'client', client.cookie);
    // Each frame comes 20 minutes after the last: within the 30-minute idle timeout of the session
    // as the last frame renewed it, but from 40 minutes on past the one it was signed in with.
    for (let index = 0; index < 4; index++) {
      testApp.clock.advance(20 * MIN);
      expect(await activity(ws), `after ${(index + 1) * 20} minutes of activity`).toEqual({
        outcome: 'renewed',
      });
    }
    expect(ws.ws.readyState).toBe(WebSocket.OPEN);
    // 80 minutes in, far past the first 30-minute idle expiry, the session still works over HTTP.
    expect((await client.api.GET('/api/v1/client/auth/me')).response.status).toBe(200);
    testApp.clock.advance(31 * MIN);
    expect(await ws.closed).toEqual({ code: 4001, reason: 'session ended: expired' });
  });

  it('when the session reaches its 12-hour absolute limit, then even a busy socket is closed 4001', async () => {
    const client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const ws = await connectReady(instance.wsUrl, 'client', client.cookie);
    // A frame every 25 minutes keeps the 30-minute idle timeout from ever running out.
    let minutes = 0;
    let last: Outcome = { outcome: 'renewed' };
    while (last.outcome === 'renewed' && minutes <= 13 * 60) {
      testApp.clock.advance(25 * MIN);
      minutes += 25;
      last = await activity(ws);
    }
    // Renewed at every frame up to 700 minutes in; closed at the first past 720.
    expect(minutes).toBe(725);
    expect(last).toEqual({ outcome: 'closed', code: 4001, reason: 'session ended: expired' });
    expect((await client.api.GET('/api/v1/client/auth/me')).response.status).toBe(401);
  });
});
