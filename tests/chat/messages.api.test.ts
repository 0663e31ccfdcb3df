import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientMessageId,
  startChatTestApp,
  type ChatTestApp,
  type TestUser,
} from './support/chat-app.js';
import { history, roomOf, send } from './support/chat-calls.js';

let chatTestApp: ChatTestApp;
let lobbyId: string;
let client: TestUser;
let other: TestUser;
let staff: TestUser;

const staffHistory = (conversationId: string) =>
  staff.api.GET('/api/v1/admin/chat/conversations/{conversationId}/messages', {
    params: { path: { conversationId } },
  });

const markRead = (testUser: TestUser, conversationId: string, upToSeq: number) =>
  testUser.api.POST('/api/v1/client/chat/conversations/{conversationId}/read', {
    params: { path: { conversationId } },
    body: { upToSeq },
  });

beforeAll(async () => {
  chatTestApp = await startChatTestApp();
  [client, other, staff] = await Promise.all([
    chatTestApp.user('client'),
    chatTestApp.user('client'),
    chatTestApp.user('staff'),
  ]);
  const res = await client.api.GET('/api/v1/client/chat/conversations');
  lobbyId = res.data!.items.find((item) => item.kind === 'lobby')!.conversationId;
});
afterAll(() => chatTestApp.close());

describe('chat messages over HTTP', () => {
  it('when a client sends to the lobby, then it is stored with a server id, seq and time (201) and staff see it in the history', async () => {
    const id = clientMessageId();
    const res = await send(client, lobbyId, 'Hello lobby', id);
    expect(res.response.status).toBe(201);
    const match = res.data!;
    expect(match).toMatchObject({
      conversationId: lobbyId,
      clientMessageId: id,
      body: 'Hello lobby',
      deleted: false,
      editedAt: null,
      sender: { kind: 'user', id: client.id, displayName: client.displayName },
    });
    expect(match.seq).toBeGreaterThanOrEqual(1);
    const seen = await staffHistory(lobbyId);
    expect(seen.response.status).toBe(200);
    expect(seen.data!.items.map((item) => item.messageId)).toContain(match.messageId);
  });

  it('when the same clientMessageId is sent again, then the first message comes back with 200 and nothing new is stored', async () => {
    const id = clientMessageId();
    const first = await send(client, lobbyId, 'once', id);
    const again = await send(client, lobbyId, 'once (retry)', id);
    expect(first.response.status).toBe(201);
    expect(again.response.status).toBe(200);
    expect(again.data).toEqual(first.data);
  });

  it('when another sender reuses a clientMessageId, then it is a different message (unique per conversation and sender)', async () => {
    const id = clientMessageId();
    const mine = await send(client, lobbyId, 'mine', id);
    const theirs = await send(other, lobbyId, 'theirs', id);
    expect([mine.response.status, theirs.response.status]).toEqual([201, 201]);
    expect(theirs.data!.messageId).not.toBe(mine.data!.messageId);
  });

  it('when 20 retries of one clientMessageId race, then exactly one message exists and every answer carries it', async () => {
    const id = clientMessageId();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => send(client, lobbyId, 'racing', id)),
    );
    expect(results.filter((result) => result.response.status === 201)).toHaveLength(1);
    expect(results.filter((result) => result.response.status === 200)).toHaveLength(19);
    expect(new Set(results.map((result) => result.data!.messageId)).size).toBe(1);
    const { rows } = await chatTestApp.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM chat_messages WHERE client_message_id = $1',
      [id],
    );
    expect(rows[0]!.n).toBe(1);
    const events = await chatTestApp.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'chat.message_posted' AND payload->'message'->>'clientMessageId' = $1",
      [id],
    );
    expect(events.rows[0]!.n).toBe(1);
  });

  it('when many senders write to one room at once, then seqs are 1..n with no gap and no duplicate', async () => {
    const cid = await roomOf(client, 'Seq room', other);
    const senders = [client, other];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => send(senders[index % 2]!, cid, `m${index}`)),
    );
    expect(results.every((result) => result.response.status === 201)).toBe(true);
    const seqs = results.map((result) => result.data!.seq).sort((left, right) => left - right);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
  });

  it('when the body is empty or longer than 2000 characters, or the clientMessageId is malformed, then it is a 400 and nothing is stored', async () => {
    const before = await chatTestApp.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM chat_messages',
    );
    for (const [id, body] of [
      [clientMessageId(), ''],
      [clientMessageId(), 'x'.repeat(2001)],
      ['bad id!', 'hi'],
    ] as const) {
      expect((await send(client, lobbyId, body, id)).response.status).toBe(400);
    }
    // Raw: a message without a body is a shape the typed client will not build.
    const noBody = await chatTestApp.request({
      method: 'POST',
      path: `/api/v1/client/chat/conversations/${lobbyId}/messages`,
      headers: client.headers(),
      body: { clientMessageId: clientMessageId() },
    });
    expect(noBody.status).toBe(400);
    const after = await chatTestApp.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM chat_messages',
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('when a message body is sent, then no log line contains it', async () => {
    const secret = `secret-body-${clientMessageId()}`;
    await send(client, lobbyId, secret);
    await chatTestApp.relay();
    expect(chatTestApp.logs.text).not.toContain(secret);
  });

  it('when a conversation does not exist or the caller is not in it, then every operation on it is a 404 CHAT.CONVERSATION_NOT_FOUND', async () => {
    const room = await roomOf(client, 'Private');
    const missing = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';
    for (const id of [room, missing]) {
      const conversation = { params: { path: { conversationId: id } } };
      const member = { params: { path: { conversationId: id, userId: client.id } } };
      const calls = [
        history(other, id),
        send(other, id, 'hi'),
        markRead(other, id, 1),
        other.api.GET('/api/v1/client/chat/conversations/{conversationId}/members', conversation),
        other.api.POST('/api/v1/client/chat/rooms/{conversationId}/invitations', {
          ...conversation,
          body: { userId: staff.id },
        }),
        other.api.POST('/api/v1/client/chat/rooms/{conversationId}/leave', conversation),
        other.api.POST(
          '/api/v1/client/chat/rooms/{conversationId}/members/{userId}/remove',
          member,
        ),
        other.api.POST('/api/v1/client/chat/rooms/{conversationId}/members/{userId}/role', {
          ...member,
          body: { role: 'moderator' },
        }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.response.status).toBe(404);
        expect(res.error?.code).toBe('CHAT.CONVERSATION_NOT_FOUND');
      }
    }
  });

  it('when a client asks for a visitor conversation, then it is a 404; staff can read it', async () => {
    const guest = await chatTestApp.a.connect('site', null);
    const conversationId = guest.of('session.welcome')[0]!.guest!.conversationId;
    // A guest and its conversation are stored with its first message.
    await chatTestApp.a.ws.site['chat.visitor_message']({
      payload: { clientMessageId: clientMessageId(), body: 'Hello?' },
      frameId: 'f',
      correlationId: undefined,
      ctx: guest.ctx(chatTestApp.log),
    });
    expect((await history(client, conversationId)).response.status).toBe(404);
    expect((await staffHistory(conversationId)).response.status).toBe(200);
  });

  it('when paging history, then beforeSeq pages back, afterSeq catches up, both ascending, and hasMore tells whether more lie that way', async () => {
    const cid = await roomOf(client, 'History');
    for (let index = 1; index <= 7; index += 1) await send(client, cid, `n${index}`);
    const seqs = (res: Awaited<ReturnType<typeof history>>) =>
      res.data!.items.map((item) => item.seq);
    const newest = await history(client, cid, { limit: 3 });
    expect(seqs(newest)).toEqual([5, 6, 7]);
    expect(newest.data!.hasMore).toBe(true);
    const older = await history(client, cid, { limit: 3, beforeSeq: 5 });
    expect(seqs(older)).toEqual([2, 3, 4]);
    expect(older.data!.hasMore).toBe(true);
    const oldest = await history(client, cid, { limit: 3, beforeSeq: 2 });
    expect(seqs(oldest)).toEqual([1]);
    expect(oldest.data!.hasMore).toBe(false);
    const after = await history(client, cid, { limit: 4, afterSeq: 2 });
    expect(seqs(after)).toEqual([3, 4, 5, 6]);
    expect(after.data!.hasMore).toBe(true);
    const tail = await history(client, cid, { limit: 4, afterSeq: 6 });
    expect(seqs(tail)).toEqual([7]);
    expect(tail.data!.hasMore).toBe(false);
    expect((await history(client, cid, { limit: 201 })).response.status).toBe(400);
  });

  it("when others write and I mark read, then my unread count counts only others' messages after my marker, and the marker never moves back", async () => {
    const cid = await roomOf(client, 'Unread', other);
    await send(client, cid, 'mine');
    for (let index = 0; index < 3; index += 1) await send(other, cid, `theirs ${index}`);
    const row = async () =>
      (await client.api.GET('/api/v1/client/chat/conversations')).data!.items.find(
        (item) => item.conversationId === cid,
      );
    expect(await row()).toMatchObject({
      lastSeq: 4,
      lastReadSeq: 0,
      unreadCount: 3,
      myRole: 'owner',
      kind: 'room',
    });
    expect((await markRead(client, cid, 3)).response.status).toBe(204);
    expect(await row()).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
    expect((await markRead(client, cid, 1)).response.status).toBe(204);
    expect(await row()).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
    await markRead(client, cid, 99);
    expect(await row()).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
    const receipts = await chatTestApp.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'chat.receipt' AND payload->>'conversationId' = $1",
      [cid],
    );
    expect(receipts.rows[0]!.n).toBe(2);
  });

  it('when a client lists conversations, then the lobby comes first with myRole null; staff on the admin surface see visitor conversations that have messages', async () => {
    const items = (await client.api.GET('/api/v1/client/chat/conversations')).data!.items;
    expect(items[0]).toMatchObject({ kind: 'lobby', myRole: null, title: 'Balance Kitchen lobby' });
    expect(items.some((item) => item.kind === 'visitor')).toBe(false);
    const guest = await chatTestApp.a.connect('site', null);
    await chatTestApp.a.ws.site['chat.visitor_message']({
      payload: { clientMessageId: clientMessageId(), body: 'hello?' },
      frameId: 'f1',
      correlationId: undefined,
      ctx: guest.ctx(chatTestApp.log),
    });
    const conversationId = guest.of('session.welcome')[0]!.guest!.conversationId;
    const staffItems = (await staff.api.GET('/api/v1/admin/chat/conversations')).data!.items;
    expect(
      staffItems.find((staffItem) => staffItem.conversationId === conversationId),
    ).toMatchObject({
      kind: 'visitor',
      unreadCount: 1,
    });
  });
});
