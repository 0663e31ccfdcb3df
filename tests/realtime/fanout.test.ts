import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { connectReady, frame, startInstance, type Instance } from './support.js';

let t: TestApp;
let a: Instance;
let b: Instance;
let client: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  // These tests run their own relays and instances; the app's own relay would race them for events.
  t = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
  const demo = await t.app.identity.seedDemoUsers();
  client = await signIn(t, 'client', demo.client.email, demo.client.password);
  admin = await signIn(t, 'admin', demo.admin.email, demo.admin.password);
  // Two instances on one database, each with its own pool, WS server, relay and LISTEN connections.
  a = await startInstance(t, { ownPool: true });
  b = await startInstance(t, { ownPool: true });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await t?.close();
});

describe('two instances on one database', () => {
  it('when a message is sent through instance B, then a socket on instance A receives it once, and so does the sender on B', async () => {
    const conversationId = randomUUID();
    const onA = await connectReady(
      a.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const onB = await connectReady(
      b.wsUrl,
      'admin',
      admin.cookie,
      `?conversation=${conversationId}`,
    );
    onB.send(
      frame('chat.send', {
        conversationId,
        clientMessageId: 'c-two-instances',
        body: 'sent through B',
      }),
    );
    await onB.next('chat.message_accepted');
    const got = await onA.next('chat.message');
    expect(got.payload).toMatchObject({
      conversationId,
      body: 'sent through B',
      sender: { kind: 'user' },
    });
    expect((await onB.next('chat.message')).payload.messageId).toBe(got.payload.messageId);
    // Only the socket subscribed to the conversation gets its messages.
    const otherConversation = randomUUID();
    const elsewhere = await connectReady(
      a.wsUrl,
      'client',
      client.cookie,
      `?conversation=${otherConversation}`,
    );
    // Barriers instead of a pause: a later message reaches each socket after anything published
    // before it (one fan-out, in outbox order, one TCP stream per socket), so once it is there, a
    // duplicate of the first or a stray 'again' would already have arrived.
    onB.send(
      frame('chat.send', { conversationId, clientMessageId: 'c-two-instances-2', body: 'again' }),
    );
    expect((await onA.next('chat.message')).payload.body).toBe('again');
    expect((await onB.next('chat.message')).payload.body).toBe('again');
    onB.send(
      frame('chat.send', {
        conversationId: otherConversation,
        clientMessageId: 'c-two-instances-3',
        body: 'elsewhere',
      }),
    );
    expect((await elsewhere.next('chat.message')).payload.body).toBe('elsewhere');
    const bodies = (c: typeof onA) =>
      c.frames.filter((f) => f.type === 'chat.message').map((f) => f.payload.body);
    expect(bodies(onA)).toEqual(['sent through B', 'again']);
    expect(bodies(onB)).toEqual(['sent through B', 'again']);
    expect(bodies(elsewhere)).toEqual(['elsewhere']);
    for (const c of [onA, onB, elsewhere]) c.ws.close();
  });

  it('when many messages are sent through B, then A delivers them in order', async () => {
    const conversationId = randomUUID();
    const onA = await connectReady(
      a.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const onB = await connectReady(b.wsUrl, 'admin', admin.cookie);
    for (let i = 0; i < 20; i++)
      onB.send(
        frame('chat.send', {
          conversationId,
          clientMessageId: `c-order-${String(i).padStart(3, '0')}`,
          body: `m${i}`,
        }),
      );
    const bodies: string[] = [];
    for (let i = 0; i < 20; i++) bodies.push((await onA.next('chat.message', 5_000)).payload.body);
    expect(bodies).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    onA.ws.close();
    onB.ws.close();
  });

  it('when an ephemeral frame is broadcast through B, then sockets on A and B get it without the outbox', async () => {
    const conversationId = randomUUID();
    const onA = await connectReady(
      a.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const onB = await connectReady(
      b.wsUrl,
      'admin',
      admin.cookie,
      `?conversation=${conversationId}`,
    );
    const typing = {
      conversationId,
      userId: randomUUID(),
      displayName: 'Ada',
      isTyping: true,
      expiresAt: new Date(Date.now() + 6_000).toISOString(),
    };
    await b.fanout.broadcast(`conversation:${conversationId}`, 'chat.typing', typing);
    expect((await onA.next('chat.typing')).payload).toEqual(typing);
    expect((await onB.next('chat.typing')).payload).toEqual(typing);
    onA.ws.close();
    onB.ws.close();
  });

  it('when a user logs out on the HTTP API, then their socket on either instance closes', async () => {
    const demo = await t.app.identity.seedDemoUsers();
    const s = await signIn(t, 'client', demo.client.email, demo.client.password);
    const onA = await connectReady(a.wsUrl, 'client', s.cookie);
    const onB = await connectReady(b.wsUrl, 'client', s.cookie);
    expect((await s.api.POST('/api/v1/client/auth/logout')).response.status).toBe(204);
    const ended = { code: 4001, reason: 'session ended: logout' };
    expect(await Promise.all([onA.closed, onB.closed])).toEqual([ended, ended]);
  });

  it('when every test above has run, then no outbound frame broke the contract on either instance', () => {
    expect(a.realtime.stats().outboundInvalid + b.realtime.stats().outboundInvalid).toBe(0);
  });
});
