/**
 * Opening a WebSocket costs the server no database write and, past a per-address limit, no
 * database work at all: upgrades are rate-limited per address before the session lookup, and a
 * site guest (with its conversation) is stored on its first message, not on connect.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { connect, connectReady, frame, framesOf, refusedUpgrade } from './support.js';

let testApp: TestApp;
let wsUrl: string;
let client: SignedIn;
let count = 0;
/** A fresh client address behind the trusted proxy (127.0.0.1), so tests do not share upgrade buckets. */
const viaProxy = () => ({ 'x-forwarded-for': `198.18.${(++count >> 8) & 255}.${count & 255}` });

beforeAll(async () => {
  testApp = await startTestApp();
  wsUrl = testApp.baseUrl.replace(/^http/, 'ws');
  const demo = await testApp.app.identity.seedDemoUsers();
  client = await signIn(testApp, 'client', demo.client.email, demo.client.password);
});
afterAll(async () => {
  await testApp?.close();
});

/** Rows in every table of the schema, by table. */
async function rowCounts(): Promise<Record<string, number>> {
  const result = await testApp.app.db.query<{ table_name: string; rows: number }>(
    `SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')))[1]::text::int AS rows
       FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.table_name, row.rows]));
}

const lastSeen = async (cookie: string) => {
  const result = await testApp.app.db.query<{ at: Date }>(
    "SELECT last_seen_at AS at FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
    [cookie.split('=')[1]],
  );
  return result.rows[0]!.at.getTime();
};

describe('site guests are stored on their first message', () => {
  it('when site sockets connect and close 30 times without ?guest=, then no guest and no conversation is stored, though each welcome names one', async () => {
    const before = await rowCounts();
    const guests = new Set<string>();
    for (let index = 0; index < 30; index++) {
      const client = await connect(wsUrl, '/ws/v1/site', { origin: ORIGINS.site, ...viaProxy() });
      const welcome = await client.next('session.welcome');
      expect(welcome.payload.guest).toMatchObject({
        guestId: expect.any(String),
        conversationId: expect.any(String),
        lastSeq: 0,
      });
      guests.add(welcome.payload.guest!.guestId);
      client.ws.close();
      await client.closed;
    }
    expect(guests.size).toBe(30);
    expect(await rowCounts()).toEqual(before);
  });

  it('when a new guest types and resumes, then nothing is stored and the resume is caught up at 0; when it writes, then the guest and the conversation the welcome named are stored and ?guest= resumes them', async () => {
    const client = await connectReady(wsUrl, 'site', undefined, '');
    const { guestId, conversationId } = framesOf(client, 'session.welcome')[0]!.payload.guest!;
    client.send(frame('chat.visitor_typing', { isTyping: true }));
    client.send(frame('chat.resume', { afterSeq: 0 }));
    expect((await client.next('chat.caught_up')).payload).toMatchObject({
      conversationId,
      lastSeq: 0,
    });
    expect(client.frames.filter((frame) => frame.type === 'system.error')).toEqual([]);
    expect(
      (await testApp.app.db.query('SELECT 1 FROM chat_guests WHERE id = $1', [guestId])).rowCount,
    ).toBe(0);

    client.send(
      frame('chat.visitor_message', {
        clientMessageId: 'c-first-message',
        body: 'Do you deliver to Camden?',
      }),
    );
    const accepted = await client.next('chat.message_accepted');
    expect(accepted.payload).toMatchObject({ conversationId, seq: 1 });
    const stored = await testApp.app.db.query<{ guest_id: string }>(
      "SELECT guest_id FROM chat_conversations WHERE id = $1 AND kind = 'visitor'",
      [conversationId],
    );
    expect(stored.rows).toEqual([{ guest_id: guestId }]);
    client.ws.close();
    await client.closed;

    const again = await connectReady(wsUrl, 'site', undefined, `?guest=${guestId}`);
    expect(framesOf(again, 'session.welcome')[0]!.payload.guest).toMatchObject({
      guestId,
      conversationId,
      lastSeq: 1,
    });
    again.ws.close();
  });

  it('when a guest without messages has been idle for over an hour, then housekeeping deletes it and its empty conversation; guests with messages, or active lately, stay', async () => {
    const ids = {
      idleEmpty: randomUUID(),
      idleWithMessage: randomUUID(),
      recentEmpty: randomUUID(),
    };
    const conv = {
      idleEmpty: randomUUID(),
      idleWithMessage: randomUUID(),
      recentEmpty: randomUUID(),
    };
    const now = testApp.clock.now();
    const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    // Rows as connects used to leave them: a guest and an empty visitor conversation.
    for (const [key, at] of [
      ['idleEmpty', ago(120)],
      ['idleWithMessage', ago(120)],
      ['recentEmpty', ago(10)],
    ] as const) {
      await testApp.app.db.query(
        'INSERT INTO chat_guests (id, created_at, last_active_at) VALUES ($1, $2, $2)',
        [ids[key], at],
      );
      await testApp.app.db.query(
        "INSERT INTO chat_conversations (id, kind, title, guest_id, created_at) VALUES ($1, 'visitor', 'Visitor', $2, $3)",
        [conv[key], ids[key], at],
      );
    }
    await testApp.app.db.query(
      "UPDATE chat_conversations SET last_seq = 1, last_message_at = $2, visitor_status = 'waiting', visitor_unanswered = 1 WHERE id = $1",
      [conv.idleWithMessage, ago(120)],
    );
    await testApp.app.db.query(
      "INSERT INTO chat_messages (id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at) VALUES ($1, $2, 1, 'guest', $3, 'Visitor', 'c-1', 'hello', $4)",
      [randomUUID(), conv.idleWithMessage, ids.idleWithMessage, ago(120)],
    );

    const deleted = await testApp.app.chat.purgeIdleGuests(now);
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = await testApp.app.db.query<{ id: string }>(
      'SELECT id FROM chat_guests WHERE id = ANY($1)',
      [Object.values(ids)],
    );
    expect(left.rows.map((row) => row.id).sort()).toEqual(
      [ids.idleWithMessage, ids.recentEmpty].sort(),
    );
    const conversations = await testApp.app.db.query<{ id: string }>(
      'SELECT id FROM chat_conversations WHERE id = ANY($1)',
      [Object.values(conv)],
    );
    expect(conversations.rows.map((row) => row.id).sort()).toEqual(
      [conv.idleWithMessage, conv.recentEmpty].sort(),
    );
  });
});

describe('upgrades are limited per address before the session lookup', () => {
  it('when random cookies open /ws/v1/client, then each is refused 401 and no row changes anywhere (the signed-in session is not touched either)', async () => {
    const before = await rowCounts();
    const seen = await lastSeen(client.cookie);
    testApp.clock.advance(1_000);
    for (let index = 0; index < 20; index++) {
      const result = await refusedUpgrade(wsUrl, '/ws/v1/client', {
        origin: ORIGINS.client,
        cookie: `bk_client_session=${randomBytes(32).toString('base64url')}`,
        ...viaProxy(),
      });
      expect(result.status).toBe(401);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await lastSeen(client.cookie)).toBe(seen);
  });

  it('when one address floods upgrades, then it is refused 429 with Retry-After before its session is looked up, while another address still connects', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof refusedUpgrade>> | null = null;
    for (let index = 0; index < 200 && !limited; index++) {
      const result = await refusedUpgrade(
        wsUrl,
        '/ws/v1/client',
        {
          origin: ORIGINS.client,
          cookie: `bk_client_session=${randomBytes(32).toString('base64url')}`,
        },
        { localAddress: '127.0.0.2' },
      );
      statuses.push(result.status);
      if (result.status === 429) limited = result;
    }
    expect(limited, `statuses: ${[...new Set(statuses)].join(', ')}`).not.toBeNull();
    expect(limited!.body).toMatchObject({ status: 429, code: 'REQUEST.RATE_LIMITED' });
    expect(Number(limited!.headers['retry-after'])).toBe(limited!.body!.retryAfterSeconds);
    expect(String(limited!.headers['content-type'])).toMatch(/^application\/problem\+json/);

    // A real session from the flooding address is refused too, and the session is not even looked up.
    testApp.clock.advance(1_000);
    const seen = await lastSeen(client.cookie);
    const refused = await refusedUpgrade(
      wsUrl,
      '/ws/v1/client',
      { origin: ORIGINS.client, cookie: client.cookie },
      { localAddress: '127.0.0.2' },
    );
    expect(refused.status).toBe(429);
    expect(await lastSeen(client.cookie)).toBe(seen);
    // The site channel is closed to that address as well.
    expect(
      (
        await refusedUpgrade(
          wsUrl,
          '/ws/v1/site',
          { origin: ORIGINS.site },
          { localAddress: '127.0.0.2' },
        )
      ).status,
    ).toBe(429);

    // Another address connects, and its lookup does touch the session.
    const other = await connect(
      wsUrl,
      '/ws/v1/client',
      { origin: ORIGINS.client, cookie: client.cookie },
      '',
      { localAddress: '127.0.0.3' },
    );
    expect((await other.next('session.welcome')).payload.actor).toMatchObject({ kind: 'user' });
    expect(await lastSeen(client.cookie)).toBeGreaterThan(seen);
    other.ws.close();
  });
});
