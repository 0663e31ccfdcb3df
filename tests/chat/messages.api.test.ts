import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  clientMessageId,
  startChatTestApp,
  type ChatTestApp,
  type TestUser,
} from './support/chat-app.js';

let t: ChatTestApp;
let lobbyId: string;
let client: TestUser;
let other: TestUser;
let staff: TestUser;

beforeAll(async () => {
  t = await startChatTestApp();
  [client, other, staff] = await Promise.all([t.user('client'), t.user('client'), t.user('staff')]);
  const res = await api(t, client).get('/conversations');
  lobbyId = res.json().items.find((c: { kind: string }) => c.kind === 'lobby').conversationId;
});
afterAll(() => t.close());

describe('chat messages over HTTP', () => {
  it('when a client sends to the lobby, then it is stored with a server id, seq and time (201) and staff see it in the history', async () => {
    const id = clientMessageId();
    const res = await api(t, client).post(`/conversations/${lobbyId}/messages`, {
      clientMessageId: id,
      body: 'Hello lobby',
    });
    expect(res.status).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({
      conversationId: lobbyId,
      clientMessageId: id,
      body: 'Hello lobby',
      deleted: false,
      editedAt: null,
      sender: { kind: 'user', id: client.id, displayName: client.displayName },
    });
    expect(m.seq).toBeGreaterThanOrEqual(1);
    const history = await api(t, staff).get(`/conversations/${lobbyId}/messages`);
    expect(history.status).toBe(200);
    expect(history.json().items.map((x: { messageId: string }) => x.messageId)).toContain(
      m.messageId,
    );
  });

  it('when the same clientMessageId is sent again, then the first message comes back with 200 and nothing new is stored', async () => {
    const id = clientMessageId();
    const first = await api(t, client).post(`/conversations/${lobbyId}/messages`, {
      clientMessageId: id,
      body: 'once',
    });
    const again = await api(t, client).post(`/conversations/${lobbyId}/messages`, {
      clientMessageId: id,
      body: 'once (retry)',
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(first.json());
  });

  it('when another sender reuses a clientMessageId, then it is a different message (unique per conversation and sender)', async () => {
    const id = clientMessageId();
    const mine = await api(t, client).post(`/conversations/${lobbyId}/messages`, {
      clientMessageId: id,
      body: 'mine',
    });
    const theirs = await api(t, other).post(`/conversations/${lobbyId}/messages`, {
      clientMessageId: id,
      body: 'theirs',
    });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.json().messageId).not.toBe(mine.json().messageId);
  });

  it('when 20 retries of one clientMessageId race, then exactly one message exists and every answer carries it', async () => {
    const id = clientMessageId();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(t, client).post(`/conversations/${lobbyId}/messages`, {
          clientMessageId: id,
          body: 'racing',
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.json().messageId)).size).toBe(1);
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM chat_messages WHERE client_message_id = $1',
      [id],
    );
    expect(rows[0]!.n).toBe(1);
    const events = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'chat.message_posted' AND payload->'message'->>'clientMessageId' = $1",
      [id],
    );
    expect(events.rows[0]!.n).toBe(1);
  });

  it('when many senders write to one room at once, then seqs are 1..n with no gap and no duplicate', async () => {
    const room = (await api(t, client).post('/rooms', { title: 'Seq room' })).json();
    const senders = [client, other];
    const inv = await api(t, client).post(`/rooms/${room.conversationId}/invitations`, {
      userId: other.id,
    });
    await api(t, other).post(`/invitations/${inv.json().invitationId}/accept`);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api(t, senders[i % 2]!).post(`/conversations/${room.conversationId}/messages`, {
          clientMessageId: clientMessageId(),
          body: `m${i}`,
        }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = results.map((r) => r.json().seq).sort((x: number, y: number) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('when the body is empty or longer than 2000 characters, or the clientMessageId is malformed, then it is a 400 and nothing is stored', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages');
    for (const body of [
      { clientMessageId: clientMessageId(), body: '' },
      { clientMessageId: clientMessageId(), body: 'x'.repeat(2001) },
      { clientMessageId: 'bad id!', body: 'hi' },
      { clientMessageId: clientMessageId() },
    ]) {
      const res = await api(t, client).post(`/conversations/${lobbyId}/messages`, body);
      expect(res.status).toBe(400);
    }
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('when a message body is sent, then no log line contains it', async () => {
    const secret = `secret-body-${clientMessageId()}`;
    await api(t, client).post(`/conversations/${lobbyId}/messages`, {
      clientMessageId: clientMessageId(),
      body: secret,
    });
    await t.relay();
    expect(t.logs.text).not.toContain(secret);
  });

  it('when a conversation does not exist or the caller is not in it, then every operation on it is a 404 CHAT.CONVERSATION_NOT_FOUND', async () => {
    const room = (await api(t, client).post('/rooms', { title: 'Private' })).json();
    const missing = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';
    for (const id of [room.conversationId, missing]) {
      const calls = [
        api(t, other).get(`/conversations/${id}/messages`),
        api(t, other).post(`/conversations/${id}/messages`, {
          clientMessageId: clientMessageId(),
          body: 'hi',
        }),
        api(t, other).post(`/conversations/${id}/read`, { upToSeq: 1 }),
        api(t, other).get(`/conversations/${id}/members`),
        api(t, other).post(`/rooms/${id}/invitations`, { userId: staff.id }),
        api(t, other).post(`/rooms/${id}/leave`),
        api(t, other).post(`/rooms/${id}/members/${client.id}/remove`),
        api(t, other).post(`/rooms/${id}/members/${client.id}/role`, { role: 'moderator' }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(404);
        expect(res.json().code).toBe('CHAT.CONVERSATION_NOT_FOUND');
      }
    }
  });

  it('when a client asks for a visitor conversation, then it is a 404; staff can read it', async () => {
    const guest = await t.a.connect('site', null);
    const conversationId = guest.of('session.welcome')[0].guest.conversationId;
    // A guest and its conversation are stored with its first message.
    await t.a.ws.site['chat.visitor_message']({
      payload: { clientMessageId: clientMessageId(), body: 'Hello?' },
      frameId: 'f',
      correlationId: undefined,
      ctx: guest.ctx(t.log),
    });
    expect((await api(t, client).get(`/conversations/${conversationId}/messages`)).status).toBe(
      404,
    );
    expect((await api(t, staff).get(`/conversations/${conversationId}/messages`)).status).toBe(200);
  });

  it('when paging history, then beforeSeq pages back, afterSeq catches up, both ascending, and hasMore tells whether more lie that way', async () => {
    const room = (await api(t, client).post('/rooms', { title: 'History' })).json();
    const cid = room.conversationId;
    for (let i = 1; i <= 7; i += 1)
      await api(t, client).post(`/conversations/${cid}/messages`, {
        clientMessageId: clientMessageId(),
        body: `n${i}`,
      });
    const seqs = (res: { json(): any }) => res.json().items.map((m: { seq: number }) => m.seq);
    const newest = await api(t, client).get(`/conversations/${cid}/messages?limit=3`);
    expect(seqs(newest)).toEqual([5, 6, 7]);
    expect(newest.json().hasMore).toBe(true);
    const older = await api(t, client).get(`/conversations/${cid}/messages?limit=3&beforeSeq=5`);
    expect(seqs(older)).toEqual([2, 3, 4]);
    expect(older.json().hasMore).toBe(true);
    const oldest = await api(t, client).get(`/conversations/${cid}/messages?limit=3&beforeSeq=2`);
    expect(seqs(oldest)).toEqual([1]);
    expect(oldest.json().hasMore).toBe(false);
    const after = await api(t, client).get(`/conversations/${cid}/messages?limit=4&afterSeq=2`);
    expect(seqs(after)).toEqual([3, 4, 5, 6]);
    expect(after.json().hasMore).toBe(true);
    const tail = await api(t, client).get(`/conversations/${cid}/messages?limit=4&afterSeq=6`);
    expect(seqs(tail)).toEqual([7]);
    expect(tail.json().hasMore).toBe(false);
    expect((await api(t, client).get(`/conversations/${cid}/messages?limit=201`)).status).toBe(400);
  });

  it("when others write and I mark read, then my unread count counts only others' messages after my marker, and the marker never moves back", async () => {
    const room = (await api(t, client).post('/rooms', { title: 'Unread' })).json();
    const cid = room.conversationId;
    const inv = await api(t, client).post(`/rooms/${cid}/invitations`, { userId: other.id });
    await api(t, other).post(`/invitations/${inv.json().invitationId}/accept`);
    await api(t, client).post(`/conversations/${cid}/messages`, {
      clientMessageId: clientMessageId(),
      body: 'mine',
    });
    for (let i = 0; i < 3; i += 1)
      await api(t, other).post(`/conversations/${cid}/messages`, {
        clientMessageId: clientMessageId(),
        body: `theirs ${i}`,
      });
    const row = async () =>
      (await api(t, client).get('/conversations'))
        .json()
        .items.find((c: { conversationId: string }) => c.conversationId === cid);
    expect(await row()).toMatchObject({
      lastSeq: 4,
      lastReadSeq: 0,
      unreadCount: 3,
      myRole: 'owner',
      kind: 'room',
    });
    expect((await api(t, client).post(`/conversations/${cid}/read`, { upToSeq: 3 })).status).toBe(
      204,
    );
    expect(await row()).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
    expect((await api(t, client).post(`/conversations/${cid}/read`, { upToSeq: 1 })).status).toBe(
      204,
    );
    expect(await row()).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
    await api(t, client).post(`/conversations/${cid}/read`, { upToSeq: 99 });
    expect(await row()).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
    const receipts = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'chat.receipt' AND payload->>'conversationId' = $1",
      [cid],
    );
    expect(receipts.rows[0]!.n).toBe(2);
  });

  it('when a client lists conversations, then the lobby comes first with myRole null; staff on the admin surface see visitor conversations that have messages', async () => {
    const items = (await api(t, client).get('/conversations')).json().items;
    expect(items[0]).toMatchObject({ kind: 'lobby', myRole: null, title: 'Balance Kitchen lobby' });
    expect(items.some((c: { kind: string }) => c.kind === 'visitor')).toBe(false);
    const guest = await t.a.connect('site', null);
    await t.a.ws.site['chat.visitor_message']({
      payload: { clientMessageId: clientMessageId(), body: 'hello?' },
      frameId: 'f1',
      correlationId: undefined,
      ctx: guest.ctx(t.log),
    });
    const conversationId = guest.of('session.welcome')[0].guest.conversationId;
    const staffItems = (await api(t, staff).get('/conversations')).json().items;
    expect(
      staffItems.find((c: { conversationId: string }) => c.conversationId === conversationId),
    ).toMatchObject({ kind: 'visitor', unreadCount: 1 });
  });
});
