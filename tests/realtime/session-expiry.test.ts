import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { connectReady, frame, sleep, startInstance, type Instance } from './support.js';

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
    const conversationId = randomUUID();
    for (let index = 0; index < 4; index++) {
      testApp.clock.advance(20 * MIN);
      ws.send(frame('chat.typing', { conversationId, isTyping: true }));
      await sleep(120);
      expect(ws.ws.readyState, `after ${(index + 1) * 20} minutes of activity`).toBe(
        WebSocket.OPEN,
      );
    }
    // 80 minutes in, far past the first 30-minute idle expiry, the session still works over HTTP.
    expect((await client.api.GET('/api/v1/client/auth/me')).response.status).toBe(200);
    testApp.clock.advance(31 * MIN);
    expect((await ws.closed).code).toBe(4001);
  });

  it('when the session reaches its 12-hour absolute limit, then even a busy socket is closed 4001', async () => {
    const client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const ws = await connectReady(instance.wsUrl, 'client', client.cookie);
    const conversationId = randomUUID();
    for (let minutes = 0; minutes < 12 * 60; minutes += 25) {
      testApp.clock.advance(25 * MIN);
      if (ws.ws.readyState !== WebSocket.OPEN) break;
      ws.send(frame('chat.typing', { conversationId, isTyping: true }));
      await sleep(20);
    }
    expect((await ws.closed).code).toBe(4001);
    expect((await client.api.GET('/api/v1/client/auth/me')).response.status).toBe(401);
  });
});
