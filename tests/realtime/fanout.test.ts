import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { connectReady, frame, framesOf, startInstance, type Instance } from './support.js';

let testApp: TestApp;
let left: Instance;
let right: Instance;
let client: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  // These tests run their own relays and instances; the app's own relay would race them for events.
  testApp = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
  const demo = await testApp.app.identity.seedDemoUsers();
  client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
  admin = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
  // Two instances on one database, each with its own pool, WS server, relay and LISTEN connections.
  left = await startInstance(testApp, { ownPool: true });
  right = await startInstance(testApp, { ownPool: true });
});
afterAll(async () => {
  await left?.close();
  await right?.close();
  await testApp?.close();
});

describe('two instances on one database', () => {
  it('when a message is sent through instance B, then a socket on instance A receives it once, and so does the sender on B', async () => {
    const conversationId = randomUUID();
    const onA = await connectReady(
      left.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const onB = await connectReady(
      right.wsUrl,
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
      left.wsUrl,
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
    const bodies = (client: typeof onA) =>
      framesOf(client, 'chat.message').map((frame) => frame.payload.body);
    expect(bodies(onA)).toEqual(['sent through B', 'again']);
    expect(bodies(onB)).toEqual(['sent through B', 'again']);
    expect(bodies(elsewhere)).toEqual(['elsewhere']);
    for (const item of [onA, onB, elsewhere]) item.ws.close();
  });

  it('when many messages are sent through B, then A delivers them in order', async () => {
    const conversationId = randomUUID();
    const onA = await connectReady(
      left.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const onB = await connectReady(right.wsUrl, 'admin', admin.cookie);
    for (let index = 0; index < 20; index++)
      onB.send(
        frame('chat.send', {
          conversationId,
          clientMessageId: `c-order-${String(index).padStart(3, '0')}`,
          body: `m${index}`,
        }),
      );
    const bodies: (string | null)[] = [];
    for (let index = 0; index < 20; index++)
      bodies.push((await onA.next('chat.message', 5_000)).payload.body);
    expect(bodies).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`));
    onA.ws.close();
    onB.ws.close();
  });

  it('when an ephemeral frame is broadcast through B, then sockets on A and B get it without the outbox', async () => {
    const conversationId = randomUUID();
    const onA = await connectReady(
      left.wsUrl,
      'client',
      client.cookie,
      `?conversation=${conversationId}`,
    );
    const onB = await connectReady(
      right.wsUrl,
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
    await right.fanout.broadcast(`conversation:${conversationId}`, 'chat.typing', typing);
    expect((await onA.next('chat.typing')).payload).toEqual(typing);
    expect((await onB.next('chat.typing')).payload).toEqual(typing);
    onA.ws.close();
    onB.ws.close();
  });

  it('when a user logs out on the HTTP API, then their socket on either instance closes', async () => {
    const demo = await testApp.app.identity.seedDemoUsers();
    const signedIn = await signIn(testApp, 'client', demo.client.email, demo.client.password);
    const onA = await connectReady(left.wsUrl, 'client', signedIn.cookie);
    const onB = await connectReady(right.wsUrl, 'client', signedIn.cookie);
    expect((await signedIn.api.POST('/api/v1/client/auth/logout')).response.status).toBe(204);
    const ended = { code: 4001, reason: 'session ended: logout' };
    expect(await Promise.all([onA.closed, onB.closed])).toEqual([ended, ended]);
  });

  it('when every test above has run, then no outbound frame broke the contract on either instance', () => {
    expect(left.realtime.stats().outboundInvalid + right.realtime.stats().outboundInvalid).toBe(0);
  });
});
