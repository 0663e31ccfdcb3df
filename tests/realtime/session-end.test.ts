/**
 * Sockets of ended sessions close because identity says so: `identity.realtime.ts` reacts to its
 * own `identity.sessions_ended` on every instance's fan-out and asks the realtime port to close
 * those sessions' sockets. The WS server itself knows no module's events.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { insertUser } from '../identity/identity-fixtures.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { typedClient } from '../support/typed-client.js';
import { connectReady, frame, startInstance, type Instance } from './support.js';

describe("the running app (identity registers its reaction on the app's fan-out)", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it("when an admin disables a user, then every socket of each of that user's sessions closes 4001 (user_disabled) and another user's socket stays open", async () => {
    const wsUrl = testApp.baseUrl.replace(/^http/, 'ws');
    const demo = await testApp.app.identity.seedDemoUsers();
    const admin = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
    const bystander = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const victim = await insertUser(testApp, { role: 'client' });
    const first = await signIn(testApp, 'client', victim.email, victim.password);
    const second = await signIn(testApp, 'client', victim.email, victim.password);
    const sockets = [
      await connectReady(wsUrl, 'client', first.cookie),
      await connectReady(wsUrl, 'client', first.cookie),
      await connectReady(wsUrl, 'client', second.cookie),
    ];
    const other = await connectReady(wsUrl, 'client', bystander.cookie);

    const disabled = await typedClient(testApp.baseUrl, admin.headers()).POST(
      '/api/v1/admin/users/{userId}/disable',
      { params: { path: { userId: victim.id } } },
    );
    expect(disabled.response.status).toBe(200);

    const closes = await Promise.all(sockets.map((socket) => socket.closed));
    expect(closes.map((item) => [item.code, item.reason])).toEqual(
      sockets.map(() => [4001, 'session ended: user_disabled']),
    );
    // The bystander's socket still answers: a bad frame gets its error frame, not a close.
    other.send('not json');
    expect((await other.next('system.error')).payload.code).toBe('WS.INVALID_FRAME');
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.close();
  });
});

describe("an instance without identity's reaction", () => {
  let testApp: TestApp;
  let left: Instance;
  let right: Instance;
  beforeAll(async () => {
    // The instances run their own relays; the app's own would race them for events.
    testApp = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
    left = await startInstance(testApp);
    right = await startInstance(testApp, { identityRealtime: false });
  });
  afterAll(async () => {
    await left?.close();
    await right?.close();
    await testApp?.close();
  });

  it("when a user logs out, then the socket on the instance with identity's reaction closes 4001 and the one without stays open past the event", async () => {
    const demo = await testApp.app.identity.seedDemoUsers();
    const signedIn = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const conversationId = randomUUID();
    const onA = await connectReady(left.wsUrl, 'client', signedIn.cookie);
    const onB = await connectReady(
      right.wsUrl,
      'client',
      signedIn.cookie,
      `?conversation=${conversationId}`,
    );

    const logout = await typedClient(testApp.baseUrl, signedIn.headers()).POST(
      '/api/v1/client/auth/logout',
    );
    expect(logout.response.status).toBe(204);
    expect((await onA.closed).code).toBe(4001);

    // B's fan-out runs events in publish order: once a message sent after the logout reaches the
    // socket on B, B has passed the logout's event, and the socket is still open.
    onB.send(frame('chat.send', { conversationId, clientMessageId: 'after-logout', body: 'hi' }));
    expect((await onB.next('chat.message')).payload.body).toBe('hi');
    expect(onB.ws.readyState).toBe(WebSocket.OPEN);
    onB.ws.close();
  });
});
