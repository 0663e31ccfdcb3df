import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { wsChannels } from '../../generated/v1/ws-events.js';
import { ORIGINS, signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { nextTurn } from '../support/wait.js';
import {
  connectReady,
  frame,
  framesOf,
  refusedUpgrade,
  startInstance,
  until,
  type Instance,
} from './support.js';

let testApp: TestApp;
let instance: Instance;
let client: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  // These tests run their own relays and instances; the app's own relay would race them for events.
  testApp = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
  const demo = await testApp.app.identity.seedDemoUsers();
  client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
  admin = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
  // Every socket here comes from 127.0.0.1 under a stopped clock: the per-address upgrade limit,
  // tested in ws-upgrades.test.ts, is raised out of the way.
  instance = await startInstance(testApp, {
    config: {
      wsMaxConnectionsPerIp: 40,
      wsMaxConnectionsPerSession: 3,
      wsUpgradesPerIpPerMinute: 100_000,
    },
  });
});
afterAll(async () => {
  await instance?.close();
  await testApp?.close();
});

describe('WSGuard before the 101', () => {
  it('when the Origin is foreign, missing or the site origin on the client channel, then the upgrade is refused 403 with security headers', async () => {
    for (const origin of [ORIGINS.evil, undefined, ORIGINS.site, ORIGINS.admin]) {
      const result = await refusedUpgrade(instance.wsUrl, '/ws/v1/client', {
        cookie: client.cookie,
        ...(origin ? { origin } : {}),
      });
      expect(result.status, String(origin)).toBe(403);
      expect(result.body!.code).toBe('AUTH.ORIGIN_NOT_ALLOWED');
      expect(result.headers['x-content-type-options']).toBe('nosniff');
      expect(result.headers['content-security-policy']).toContain("default-src 'none'");
    }
  });

  it("when there is no session cookie, or the other surface's cookie, then the upgrade is refused 401", async () => {
    for (const cookie of [undefined, 'bk_client_session=not-a-real-token', admin.cookie]) {
      const result = await refusedUpgrade(instance.wsUrl, '/ws/v1/client', {
        origin: ORIGINS.client,
        ...(cookie ? { cookie } : {}),
      });
      expect(result.status, String(cookie)).toBe(401);
      expect(result.body!.code).toBe('AUTH.UNAUTHENTICATED');
    }
    const resultItem = await refusedUpgrade(instance.wsUrl, '/ws/v1/admin', {
      origin: ORIGINS.admin,
      cookie: client.cookie,
    });
    expect(resultItem.status).toBe(401);
  });

  it('when the path is not a channel, then 404', async () => {
    const result = await refusedUpgrade(instance.wsUrl, '/ws/v1/nope', {
      origin: ORIGINS.client,
      cookie: client.cookie,
    });
    expect(result.status).toBe(404);
  });

  it('when a session opens more sockets than its cap, then the extra upgrade is refused 429 and a slot frees on close', async () => {
    const open = [
      await connectReady(instance.wsUrl, 'client', client.cookie),
      await connectReady(instance.wsUrl, 'client', client.cookie),
      await connectReady(instance.wsUrl, 'client', client.cookie),
    ];
    const result = await refusedUpgrade(instance.wsUrl, '/ws/v1/client', {
      origin: ORIGINS.client,
      cookie: client.cookie,
    });
    expect(result.status).toBe(429);
    const connections = instance.realtime.stats().connections;
    open[0]!.ws.close();
    await open[0]!.closed;
    // The server frees the session's slot in the close handler that also drops it from its count.
    await until(() => instance.realtime.stats().connections === connections - 1);
    const again = await connectReady(instance.wsUrl, 'client', client.cookie);
    for (const item of [...open.slice(1), again]) item.ws.close();
    await Promise.all([...open.slice(1), again].map((client) => client.closed));
  });

  it('when one address opens more sockets than its cap, then the extra upgrade is refused 429', async () => {
    const open = [];
    for (let index = 0; index < 40; index++) open.push(await connectReady(instance.wsUrl, 'site'));
    const result = await refusedUpgrade(instance.wsUrl, '/ws/v1/site', { origin: ORIGINS.site });
    expect(result.status).toBe(429);
    for (const client of open) client.ws.close();
    await Promise.all(open.map((client) => client.closed));
  });

  it('when the client channel is opened with its own Origin and session, then it is accepted', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    expect(framesOf(item, 'session.welcome')[0]!.payload.actor.kind).toBe('user');
    item.ws.close();
    await item.closed;
  });
});

describe('WSGuard per frame', () => {
  it('when a frame is not JSON, then an error frame WS.INVALID_FRAME and nothing is handled', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    const before = instance.handled.length;
    item.send('{not json');
    const err = await item.next('system.error');
    expect(err.payload.code).toBe('WS.INVALID_FRAME');
    expect(instance.handled.length).toBe(before);
    item.ws.close();
  });

  it('when the payload breaks the schema, then an error frame points at the field, and nothing is handled', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    const before = instance.handled.length;
    const field = frame('chat.send', {
      conversationId: randomUUID(),
      clientMessageId: 'c-1',
      body: 'x'.repeat(5000),
    });
    item.send(field);
    const err = await item.next('system.error');
    expect(err.payload.code).toBe('WS.INVALID_FRAME');
    expect(err.payload.errors!.map((error) => error.pointer)).toContain('/payload/body');
    expect(err.metadata?.correlationId).toBe(field.id);
    item.send(
      frame('chat.send', {
        conversationId: 'not-a-uuid',
        clientMessageId: 'c-1',
        body: 'hi',
        extra: 1,
      }),
    );
    const err2 = await item.next('system.error');
    const pointers = err2.payload.errors!.map((error) => error.pointer);
    expect(pointers).toContain('/payload/conversationId');
    expect(pointers).toContain('/payload/extra');
    item.send(JSON.stringify({ type: 'chat.send', payload: {} }));
    const err3 = await item.next('system.error');
    expect(err3.payload.errors!.map((error) => error.pointer)).toEqual(
      expect.arrayContaining(['/id']),
    );
    expect(instance.handled.length).toBe(before);
    item.ws.close();
  });

  it('when the type is not an inbound message of the channel, then WS.UNKNOWN_EVENT (a server-only type cannot be injected)', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    item.send(frame('chat.message', { body: 'pretend the server said this' }));
    expect((await item.next('system.error')).payload.code).toBe('WS.UNKNOWN_EVENT');
    item.send(frame('chat.visitor_message', { clientMessageId: 'c-1', body: 'site-only' }));
    expect((await item.next('system.error')).payload.code).toBe('WS.UNKNOWN_EVENT');
    item.ws.close();
  });

  it('when a socket without a principal sends an event, then WS.EVENT_FORBIDDEN and no handler runs', async () => {
    const client = await connectReady(instance.wsUrl, 'site', undefined, '?noguest=1');
    const before = instance.handled.length;
    client.send(frame('chat.visitor_message', { clientMessageId: 'c-noguest1', body: 'hi' }));
    expect((await client.next('system.error')).payload.code).toBe('WS.EVENT_FORBIDDEN');
    // A barrier: a handler for the frame above would have run before this one is even read.
    client.send('{barrier');
    expect((await client.next('system.error')).payload.code).toBe('WS.INVALID_FRAME');
    expect(instance.handled.length).toBe(before);
    client.ws.close();
  });

  it('when a valid frame arrives, then its typed handler runs with the actor and the reply carries the correlation id', async () => {
    const client = await connectReady(instance.wsUrl, 'admin', admin.cookie);
    const field = frame(
      'chat.send',
      { conversationId: randomUUID(), clientMessageId: 'c-accepted1', body: 'hello' },
      { metadata: { correlationId: 'corr-1' } },
    );
    client.send(field);
    const accepted = await client.next('chat.message_accepted');
    expect(accepted.metadata?.correlationId).toBe('corr-1');
    expect(instance.handled.at(-1)).toMatchObject({
      channel: 'admin',
      type: 'chat.send',
      actor: { kind: 'user', role: 'admin' },
    });
    client.ws.close();
  });

  it('when a frame is 64 KiB + 1 byte, then the socket is closed 1009', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    item.ws.send(Buffer.alloc(64 * 1024 + 1, 0x61), { binary: false });
    const closed = await item.closed;
    expect(closed.code).toBe(1009);
  });

  it('when a message comes in more fragments than allowed, then the socket is closed 1008', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    for (let index = 0; index < 100; index++) item.ws.send('a', { fin: false });
    item.ws.send('a', { fin: true });
    expect((await item.closed).code).toBe(1008);
  });

  it('when a client floods, then frames past the limit get WS.RATE_LIMITED and are dropped, then the socket is closed 1008', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    const limit = wsChannels.client.inbound['chat.typing'].guard.rateLimit.connection.limit;
    const before = instance.handled.filter((handle) => handle.type === 'chat.typing').length;
    const typing = () =>
      item.send(frame('chat.typing', { conversationId: randomUUID(), isTyping: true }));
    for (let index = 0; index < limit; index++) typing();
    await until(
      () =>
        instance.handled.filter((handle) => handle.type === 'chat.typing').length - before ===
        limit,
    );
    for (let index = 0; index < 20; index++) typing();
    const closed = await item.closed;
    expect(closed.code).toBe(1008);
    const errors = framesOf(item, 'system.error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.every((error) => error.payload.code === 'WS.RATE_LIMITED')).toBe(true);
    // No more than the per-connection limit of chat.typing reached the handler. No handler is still
    // to come: frames after the close are not read, and those before it were judged, and routed or
    // dropped, in the server's turn that wrote the close, before this client could see it.
    expect(instance.handled.filter((handle) => handle.type === 'chat.typing').length - before).toBe(
      limit,
    );
  });

  it('when a client keeps sending invalid frames, then after the violation limit the socket is closed 1008', async () => {
    const item = await connectReady(instance.wsUrl, 'client', client.cookie);
    for (let index = 0; index < 5; index++) item.send('nope');
    expect((await item.closed).code).toBe(1008);
    expect(item.frames.filter((frame) => frame.type === 'system.error').length).toBe(5);
  });
});

describe('slow and dead peers', () => {
  it('when a reader stops reading, then its socket is terminated past the buffer limit and memory stays flat', async () => {
    const conversationId = randomUUID();
    const slow = await connectReady(
      instance.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const fast = await connectReady(
      instance.wsUrl,
      'admin',
      admin.cookie,
      `?conversation=${conversationId}`,
    );
    let fastCount = 0;
    fast.ws.on('message', () => fastCount++);
    // The client stops reading: the kernel buffers fill, then the server's.
    (slow.ws as unknown as { _socket: net.Socket })._socket.pause();
    const terminatedBefore = instance.realtime.stats().slowTerminated;
    global.gc?.();
    const before = process.memoryUsage();
    const body = 'y'.repeat(1900);
    const payload = (index: number) => ({
      messageId: randomUUID(),
      conversationId,
      seq: index + 1,
      sender: { kind: 'user', id: randomUUID(), displayName: 'Bench' },
      body,
      clientMessageId: `c-slow-${index}`,
      sentAt: new Date().toISOString(),
      editedAt: null,
      deleted: false,
    });
    let sent = 0;
    for (
      let round = 0;
      round < 200 && instance.realtime.stats().slowTerminated === terminatedBefore;
      round++
    ) {
      for (let index = 0; index < 100; index++)
        instance.hub.publish(`conversation:${conversationId}`, 'chat.message', payload(sent++));
      await nextTurn();
    }
    expect(instance.realtime.stats().slowTerminated).toBe(terminatedBefore + 1);
    const after = process.memoryUsage();
    // 200 rounds could have queued up to ~40 MB for the paused reader; the cut keeps it near the 1 MiB limit.
    expect(
      after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers),
    ).toBeLessThan(24 * 1024 * 1024);
    expect(sent * 2048).toBeGreaterThan(1024 * 1024);
    // The healthy reader got everything and is still open.
    await until(() => fastCount >= sent, 5_000);
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);
    fast.ws.close();
    slow.ws.terminate();
  });

  it('when a peer stops answering pings, then the heartbeat terminates it', async () => {
    const hb = await startInstance(testApp, { config: { wsHeartbeatMs: 100 } });
    try {
      const live = await connectReady(hb.wsUrl, 'client', client.cookie);
      const dead = await connectReady(hb.wsUrl, 'client', client.cookie);
      // A dead peer: its socket stops reading, so no ping is ever answered.
      (dead.ws as unknown as { _socket: net.Socket })._socket.pause();
      await until(() => hb.realtime.stats().deadTerminated >= 1);
      await until(() => hb.realtime.stats().connections === 1);
      // Three more heartbeats pinged the live peer (a terminated peer gets no ping): it was kept.
      const pings = live.pings;
      await until(() => live.pings >= pings + 3);
      expect(live.ws.readyState).toBe(WebSocket.OPEN);
      expect(hb.realtime.stats()).toMatchObject({ connections: 1, deadTerminated: 1 });
      live.ws.close();
      dead.ws.terminate();
    } finally {
      await hb.close();
    }
  });
});

describe('session end', () => {
  it("when the user logs out, then that session's socket is closed 4001 for the logout and other sessions stay open", async () => {
    const demo = await testApp.app.identity.seedDemoUsers();
    const mine = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const other = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const item = await connectReady(instance.wsUrl, 'client', mine.cookie);
    const option = await connectReady(instance.wsUrl, 'client', other.cookie);
    const res = await mine.api.POST('/api/v1/client/auth/logout');
    expect(res.response.status).toBe(204);
    const closed = await item.closed;
    expect(closed).toEqual({ code: 4001, reason: 'session ended: logout' });
    // The logout's event closed its sockets in one pass; a round trip on the other socket after
    // that pass proves it was left open (a closing socket answers nothing).
    option.send('{barrier');
    expect((await option.next('system.error')).payload.code).toBe('WS.INVALID_FRAME');
    expect(option.ws.readyState).toBe(WebSocket.OPEN);
    option.ws.close();
    // The ended session cannot open a new socket.
    expect(
      (
        await refusedUpgrade(instance.wsUrl, '/ws/v1/client', {
          origin: ORIGINS.client,
          cookie: mine.cookie,
        })
      ).status,
    ).toBe(401);
  });

  it("when the password changes, then the other sessions' sockets are closed 4001 for the password change", async () => {
    const demo = await testApp.app.identity.seedDemoUsers();
    const keep = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
    const other = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
    const client = await connectReady(instance.wsUrl, 'admin', other.cookie);
    const res = await keep.api.POST('/api/v1/admin/auth/password', {
      body: {
        currentPassword: demo.admin.password,
        newPassword: demo.admin.password + ' and more',
      },
    });
    expect([200, 204]).toContain(res.response.status);
    expect(await client.closed).toEqual({ code: 4001, reason: 'session ended: password_changed' });
  });
});

describe('contract', () => {
  it('when every test above has run, then no outbound frame broke the contract', () => {
    expect(instance.realtime.stats().outboundInvalid).toBe(0);
  });
});
