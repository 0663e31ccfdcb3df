/**
 * `chat.resume` cannot multiply work: a short list of distinct conversations (the contract's
 * `maxItems` and `uniqueItems`), a cap on the messages one resume replays (the rest by HTTP paging,
 * and `hasMore` says so), a rate limit weighted by the number of conversations, and a replay that
 * stops as soon as its socket is gone. Over real sockets, so WSGuard judges every frame.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { clientAt } from '../support/local-fetch.js';
import { connect, frame, framesOf, until, type Client } from '../realtime/support.js';

let testApp: TestApp;
let wsUrl: string;
let client: SignedIn;
let userId: string;
let lobbyId: string;
let count = 0;

beforeAll(async () => {
  testApp = await startTestApp();
  wsUrl = testApp.baseUrl.replace(/^http/, 'ws');
  const demo = await testApp.app.identity.seedDemoUsers();
  client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
  userId = client.body.user.id;
  lobbyId = (
    await testApp.app.db.query<{ id: string }>(
      "SELECT id FROM chat_conversations WHERE kind = 'lobby'",
    )
  ).rows[0]!.id;
});
afterAll(async () => {
  await testApp?.close();
});

/** A socket of the demo client from its own address (so rate-limit buckets are not shared between tests). */
async function socket(): Promise<Client> {
  const item = await connect(wsUrl, '/ws/v1/client', {
    origin: ORIGINS.client,
    cookie: client.cookie,
    'x-forwarded-for': `198.19.0.${++count}`,
  });
  await item.next('session.welcome');
  return item;
}

/** A room the demo client owns, with `messages` messages in it. */
async function room(messages = 0): Promise<string> {
  const id = randomUUID();
  await testApp.app.db.query(
    "INSERT INTO chat_conversations (id, kind, title, created_by, created_at) VALUES ($1, 'room', 'Resume test', $2, now())",
    [id, userId],
  );
  await testApp.app.db.query(
    "INSERT INTO chat_members (conversation_id, user_id, role, joined_at) VALUES ($1, $2, 'owner', now())",
    [id, userId],
  );
  if (messages > 0) {
    await testApp.app.db.query(
      `INSERT INTO chat_messages (id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at)
       SELECT gen_random_uuid(), $1, s, 'user', $2, 'Demo', 'seed-' || s, 'message ' || s, now() FROM generate_series(1, $3::int) s`,
      [id, userId, messages],
    );
    await testApp.app.db.query(
      'UPDATE chat_conversations SET last_seq = $2, last_message_at = now() WHERE id = $1',
      [id, messages],
    );
  }
  return id;
}

/** A resume frame whose replies carry its id as their correlation id. */
function resume(conversations: { conversationId: string; afterSeq: number }[]) {
  const correlationId = `resume-${randomUUID()}`;
  return {
    ...frame('chat.resume', { conversations }, { metadata: { correlationId } }),
    id: correlationId,
  };
}
const caughtUps = (client: Client, correlation: string) =>
  framesOf(client, 'chat.caught_up').filter(
    (frame) => frame.metadata?.correlationId === correlation,
  );

describe('the resume list', () => {
  it('when a resume lists the lobby 500 times, then it is refused as invalid (maxItems) and nothing is replayed', async () => {
    const client = await socket();
    const field = resume(
      Array.from({ length: 500 }, () => ({ conversationId: lobbyId, afterSeq: 0 })),
    );
    client.send(field);
    const error = await client.next('system.error');
    expect(error.payload).toMatchObject({
      code: 'WS.INVALID_FRAME',
      errors: expect.arrayContaining([
        expect.objectContaining({ pointer: '/payload/conversations', keyword: 'maxItems' }),
      ]),
    });
    expect(caughtUps(client, field.id)).toEqual([]);
    client.ws.close();
  });

  it('when a resume names one conversation twice (even with another afterSeq), then it is refused as invalid and nothing is replayed', async () => {
    const client = await socket();
    for (const list of [
      [
        { conversationId: lobbyId, afterSeq: 0 },
        { conversationId: lobbyId, afterSeq: 0 },
      ],
      [
        { conversationId: lobbyId, afterSeq: 0 },
        { conversationId: lobbyId, afterSeq: 1 },
      ],
    ]) {
      const field = resume(list);
      client.send(field);
      const error = await client.next('system.error');
      expect(error.payload.code).toBe('WS.INVALID_FRAME');
      expect(error.payload.errors![0]!.pointer).toMatch(/^\/payload\/conversations/);
      expect(caughtUps(client, field.id)).toEqual([]);
    }
    client.ws.close();
  });
});

describe('the messages one resume replays', () => {
  it('when a conversation holds more than a resume replays, then the replay stops at the cap, caught_up says hasMore, and HTTP paging from its lastSeq has the rest', async () => {
    const big = await room(250);
    const item = await socket();
    const field = resume([{ conversationId: big, afterSeq: 0 }]);
    item.send(field);
    const done = await item.next('chat.caught_up');
    const replayed = framesOf(item, 'chat.message')
      .filter((frame) => frame.metadata?.correlationId === field.id)
      .map((frame) => frame.payload.seq);
    expect(done.payload).toEqual({ conversationId: big, lastSeq: replayed.length, hasMore: true });
    expect(replayed).toEqual(Array.from({ length: replayed.length }, (_, index) => index + 1));
    expect(replayed.length).toBeLessThan(250);

    const http = clientAt(testApp.baseUrl, '127.0.0.1', {
      cookie: client.cookie,
      'x-forwarded-for': `198.19.1.${count}`,
    });
    const rest = await http.api.GET('/api/v1/client/chat/conversations/{conversationId}/messages', {
      params: {
        path: { conversationId: big },
        query: { afterSeq: done.payload.lastSeq, limit: 200 },
      },
    });
    http.close();
    expect(rest.data!.items.map((match) => match.seq)).toEqual(
      Array.from({ length: 250 - replayed.length }, (_, index) => replayed.length + 1 + index),
    );

    // Resuming again from where it stopped finishes it.
    const again = resume([{ conversationId: big, afterSeq: done.payload.lastSeq }]);
    item.send(again);
    expect((await item.next('chat.caught_up')).payload).toEqual({
      conversationId: big,
      lastSeq: 250,
      hasMore: false,
    });
    item.ws.close();
  });

  it('when several conversations together hold more than the cap, then the later ones stop short with hasMore, and none goes past the cap in all', async () => {
    const rooms = [await room(150), await room(150), await room(10)];
    const client = await socket();
    const field = resume(rooms.map((conversationId) => ({ conversationId, afterSeq: 0 })));
    client.send(field);
    await until(() => caughtUps(client, field.id).length === 3);
    const done = caughtUps(client, field.id).map((item) => item.payload);
    const replayed = client.frames.filter(
      (frame) => frame.type === 'chat.message' && frame.metadata?.correlationId === field.id,
    ).length;
    expect(done[0]).toEqual({ conversationId: rooms[0], lastSeq: 150, hasMore: false });
    expect(done[1]).toMatchObject({ conversationId: rooms[1], hasMore: true });
    expect(done[1]!.lastSeq).toBeLessThan(150);
    expect(done[2]).toMatchObject({ conversationId: rooms[2], hasMore: true });
    expect(replayed).toBe(done[0]!.lastSeq + done[1]!.lastSeq + done[2]!.lastSeq);
    expect(replayed).toBeLessThanOrEqual(200);
    client.ws.close();
  });
});

describe('the rate limit of resumes', () => {
  it('when resumes list many conversations, then each conversation counts against the limit: a sixth resume of 20 within a minute is refused', async () => {
    const rooms: string[] = [];
    for (let index = 0; index < 20; index++) rooms.push(await room());
    const client = await socket();
    const list = rooms.map((conversationId) => ({ conversationId, afterSeq: 0 }));
    for (let index = 0; index < 5; index++) {
      const field = resume(list);
      client.send(field);
      await until(() => caughtUps(client, field.id).length === 20);
    }
    const sixth = resume(list);
    client.send(sixth);
    const error = await client.next('system.error');
    expect(error.payload).toMatchObject({
      code: 'WS.RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    expect(error.metadata?.correlationId).toBe(sixth.id);
    expect(caughtUps(client, sixth.id)).toEqual([]);
    client.ws.close();
  });
});

describe('a resume whose socket goes away', () => {
  it('when the socket closes while a resume of 20 conversations is being replayed, then the replay stops at once rather than read the rest', async () => {
    const rooms: string[] = [];
    for (let index = 0; index < 20; index++) rooms.push(await room(3));
    const client = await socket();
    await until(
      async () =>
        (await testApp.app.db.query('SELECT 1 FROM chat_presence WHERE user_id = $1', [userId]))
          .rowCount === 1,
    );
    // Hold the messages table so the replay waits on its first conversation while the socket goes.
    const blocker = new pg.Client({ connectionString: testApp.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE chat_messages IN ACCESS EXCLUSIVE MODE');
      const field = resume(rooms.map((conversationId) => ({ conversationId, afterSeq: 0 })));
      client.send(field);
      await until(
        async () =>
          (
            await blocker.query(
              "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class r ON r.oid = l.relation WHERE r.relname = 'chat_messages' AND NOT l.granted",
            )
          ).rows[0].n > 0,
      );
      client.ws.terminate();
      // The server noticed: the socket's presence row is gone.
      await until(
        async () =>
          (await testApp.app.db.query('SELECT 1 FROM chat_presence WHERE user_id = $1', [userId]))
            .rowCount === 0,
      );
      await blocker.query('COMMIT');
    } finally {
      await blocker.end();
    }
    await until(() => testApp.logs.lines.some((line) => line.includes('resume stopped')), 5_000);
    const line = JSON.parse(testApp.logs.lines.find((line) => line.includes('resume stopped'))!);
    expect(line).toMatchObject({ requested: 20 });
    expect(line.replayed).toBeLessThanOrEqual(1);
  });
});
