import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../realtime/support.js';
import { clientMessageId, type ChatTestApp, type TestUser } from './support/chat-app.js';
import { expectOnlyContractFrames, startRealtimeChat } from './support/realtime-suite.js';
import { accept, createRoom, history, invite, send } from './support/chat-calls.js';
import type { TestConnection } from './support/realtime-double.js';

let chatTestApp: ChatTestApp;
let alice: TestUser;
let bob: TestUser;
let staff: TestUser;
let lobbyId: string;

beforeAll(async () => {
  ({ chatTestApp, alice, bob, staff, lobbyId } = await startRealtimeChat());
});
afterAll(() => chatTestApp.close());
afterEach(() => expectOnlyContractFrames(chatTestApp));

const ctx = (testConnection: TestConnection) => testConnection.ctx(chatTestApp.log);
const visitors = async () => (await staff.api.GET('/api/v1/admin/chat/visitors')).data!.items;
const staffReply = (conversationId: string, body: string) =>
  staff.api.POST('/api/v1/admin/chat/conversations/{conversationId}/messages', {
    params: { path: { conversationId } },
    body: { clientMessageId: clientMessageId(), body },
  });

describe('site visitor chat', () => {
  it('when a visitor writes and staff on another instance answer, then the staff see it live with the inbox row and the visitor gets the reply live', async () => {
    const visitor = await chatTestApp.a.connect('site', null);
    const welcome = visitor.of('session.welcome')[0];
    expect(welcome).toMatchObject({ actor: { kind: 'guest' }, guest: { lastSeq: 0 } });
    const { guestId, conversationId } = welcome!.guest!;
    expect(visitor.actor).toEqual({ kind: 'guest', guestId });
    const admin = await chatTestApp.b.connect('admin', staff);

    const cmid = clientMessageId();
    await chatTestApp.a.ws.site['chat.visitor_message']({
      payload: { clientMessageId: cmid, body: 'Do you deliver to Camden?' },
      frameId: 'f1',
      correlationId: 'corr-1',
      ctx: ctx(visitor),
    });
    expect(visitor.of('chat.message_accepted')).toEqual([
      expect.objectContaining({ clientMessageId: cmid, conversationId, seq: 1 }),
    ]);
    expect(visitor.frames.at(-1)!.metadata).toEqual({ correlationId: 'corr-1' });

    await chatTestApp.relay();
    expect(admin.of('chat.message')).toEqual([
      expect.objectContaining({
        conversationId,
        seq: 1,
        body: 'Do you deliver to Camden?',
        sender: { kind: 'guest', id: guestId, displayName: 'Visitor' },
      }),
    ]);
    expect(admin.of('chat.visitor_conversation')).toEqual([
      expect.objectContaining({
        conversationId,
        guestId,
        status: 'waiting',
        lastSeq: 1,
        unreadCount: 1,
      }),
    ]);
    expect(visitor.of('chat.own_message')).toEqual([expect.objectContaining({ seq: 1 })]);

    const inbox = await visitors();
    expect(inbox[0]).toMatchObject({ conversationId, status: 'waiting', unreadCount: 1 });

    const reply = await staffReply(conversationId, 'Yes, on weekdays.');
    expect(reply.response.status).toBe(201);
    await chatTestApp.relay();
    expect(visitor.of('chat.staff_reply')).toEqual([
      expect.objectContaining({
        conversationId,
        seq: 2,
        body: 'Yes, on weekdays.',
        staffName: 'Grace',
      }),
    ]);
    expect(
      (await visitors()).find((result) => result.conversationId === conversationId),
    ).toMatchObject({
      status: 'answered',
      unreadCount: 0,
      lastSeq: 2,
    });

    // Staff typing reaches the visitor; visitor typing reaches the staff.
    await chatTestApp.b.ws.admin['chat.typing']({
      payload: { conversationId, isTyping: true },
      frameId: 'f2',
      correlationId: undefined,
      ctx: ctx(admin),
    });
    expect(visitor.of('chat.staff_typing')).toEqual([expect.objectContaining({ isTyping: true })]);
    await chatTestApp.a.ws.site['chat.visitor_typing']({
      payload: { isTyping: true },
      frameId: 'f3',
      correlationId: undefined,
      ctx: ctx(visitor),
    });
    expect(admin.of('chat.typing').at(-1)).toMatchObject({
      conversationId,
      userId: guestId,
      displayName: 'Visitor',
      isTyping: true,
    });
  });

  it('when a visitor reconnects with ?guest= and resumes, then it is the same guest and conversation, and the replay ends with chat.caught_up', async () => {
    const first = await chatTestApp.a.connect('site', null);
    const { guestId, conversationId } = first.of('session.welcome')[0]!.guest!;
    for (const body of ['one', 'two'])
      await chatTestApp.a.ws.site['chat.visitor_message']({
        payload: { clientMessageId: clientMessageId(), body },
        frameId: 'f',
        correlationId: undefined,
        ctx: ctx(first),
      });
    await staffReply(conversationId, 'three');
    chatTestApp.a.disconnect(first);

    const again = await chatTestApp.b.connect('site', null, `guest=${guestId}`);
    expect(again.of('session.welcome')[0]!.guest!).toMatchObject({
      guestId,
      conversationId,
      lastSeq: 3,
    });
    await chatTestApp.b.ws.site['chat.resume']({
      payload: { afterSeq: 1 },
      frameId: 'f',
      correlationId: undefined,
      ctx: ctx(again),
    });
    expect(
      again.frames.slice(1).map((frame) => {
        const payload = frame.payload as { seq?: number; lastSeq?: number };
        return [frame.type, payload.seq ?? payload.lastSeq];
      }),
    ).toEqual([
      ['chat.own_message', 2],
      ['chat.staff_reply', 3],
      ['chat.caught_up', 3],
    ]);
  });

  it('when a guest was idle for more than an hour, or the id is unknown, then a new guest starts', async () => {
    const first = await chatTestApp.a.connect('site', null);
    const { guestId } = first.of('session.welcome')[0]!.guest!;
    await chatTestApp.db.query(
      "UPDATE chat_guests SET last_active_at = now() - interval '61 minutes' WHERE id = $1",
      [guestId],
    );
    const later = await chatTestApp.a.connect('site', null, `guest=${guestId}`);
    expect(later.of('session.welcome')[0]!.guest!.guestId).not.toBe(guestId);
    const bogus = await chatTestApp.a.connect('site', null, 'guest=not-a-uuid');
    expect(bogus.of('session.welcome')[0]!.guest!.lastSeq).toBe(0);
  });

  it('when a visitor retries a message over the socket, then one message exists and both acks carry it', async () => {
    const visitor = await chatTestApp.a.connect('site', null);
    const cmid = clientMessageId();
    for (let index = 0; index < 2; index += 1)
      await chatTestApp.a.ws.site['chat.visitor_message']({
        payload: { clientMessageId: cmid, body: 'retry me' },
        frameId: `f${index}`,
        correlationId: undefined,
        ctx: ctx(visitor),
      });
    const acks = visitor.of('chat.message_accepted');
    expect(acks).toHaveLength(2);
    expect(acks[0]).toEqual(acks[1]);
  });
});

describe('client and admin channels', () => {
  it('when a client connects, then the welcome names the user and the socket follows the lobby and their rooms', async () => {
    const room = (await createRoom(alice, 'Alice room')).data!;
    const socket = await chatTestApp.a.connect('client', alice);
    expect(socket.of('session.welcome')[0]).toMatchObject({
      actor: { kind: 'user', id: alice.id, role: 'client' },
      heartbeatSeconds: 25,
    });
    expect(socket.topics).toEqual(
      new Set([
        `user:${alice.id}`,
        `conversation:${lobbyId}`,
        `conversation:${room.conversationId}`,
      ]),
    );
    const admin = await chatTestApp.a.connect('admin', staff);
    expect(admin.topics.has('staff')).toBe(true);
  });

  it('when a client sends over the socket, then it is acknowledged, members on both instances get chat.message, and a retry creates nothing new', async () => {
    const sender = await chatTestApp.a.connect('client', alice);
    const reader = await chatTestApp.b.connect('client', bob);
    const cmid = clientMessageId();
    const sendOnSocket = () =>
      chatTestApp.a.ws.client['chat.send']({
        payload: { conversationId: lobbyId, clientMessageId: cmid, body: 'Lunch menus are up' },
        frameId: 'f',
        correlationId: undefined,
        ctx: ctx(sender),
      });
    await sendOnSocket();
    await sendOnSocket();
    const acks = sender.of('chat.message_accepted');
    expect(acks).toHaveLength(2);
    expect(acks[1]).toEqual(acks[0]);
    await chatTestApp.relay();
    expect(
      reader.of('chat.message').filter((match) => match.clientMessageId === cmid),
    ).toHaveLength(1);
    expect(
      sender.of('chat.message').filter((match) => match.clientMessageId === cmid),
    ).toHaveLength(1);
  });

  it('when a client sends to a room they are not in, then they get system.error CHAT.CONVERSATION_NOT_FOUND and nothing is stored', async () => {
    const room = (await createRoom(alice, 'Closed')).data!;
    const socket = await chatTestApp.a.connect('client', bob);
    await chatTestApp.a.ws.client['chat.send']({
      payload: {
        conversationId: room.conversationId,
        clientMessageId: clientMessageId(),
        body: 'let me in',
      },
      frameId: 'f',
      correlationId: 'c-9',
      ctx: ctx(socket),
    });
    expect(socket.of('system.error')).toEqual([
      expect.objectContaining({ code: 'CHAT.CONVERSATION_NOT_FOUND', status: 404 }),
    ]);
    expect((await history(alice, room.conversationId)).data!.items).toHaveLength(0);
  });

  it('when invited, accepting and being removed, then the invitee gets chat.invitation, joins the room topic live and leaves it on removal', async () => {
    const cid = (await createRoom(alice, 'Live room')).data!.conversationId;
    const owner = await chatTestApp.a.connect('client', alice);
    const bobSocket = await chatTestApp.b.connect('client', bob);
    const inv = (await invite(alice, cid, bob.id)).data!;
    await chatTestApp.relay();
    expect(bobSocket.of('chat.invitation')).toEqual([
      expect.objectContaining({ invitationId: inv.invitationId, status: 'pending' }),
    ]);
    await accept(bob, inv.invitationId);
    await chatTestApp.relay();
    expect(bobSocket.topics.has(`conversation:${cid}`)).toBe(true);
    expect(bobSocket.of('chat.membership')).toEqual([
      { conversationId: cid, userId: bob.id, change: 'joined', role: 'member' },
    ]);
    expect(owner.of('chat.membership').at(-1)).toMatchObject({ userId: bob.id, change: 'joined' });
    await send(alice, cid, 'welcome Bob');
    await chatTestApp.relay();
    expect(bobSocket.of('chat.message').map((match) => match.body)).toEqual(['welcome Bob']);

    await alice.api.POST('/api/v1/client/chat/rooms/{conversationId}/members/{userId}/remove', {
      params: { path: { conversationId: cid, userId: bob.id } },
    });
    await chatTestApp.relay();
    expect(bobSocket.of('chat.membership').at(-1)).toMatchObject({ change: 'removed' });
    expect(bobSocket.topics.has(`conversation:${cid}`)).toBe(false);
    await send(alice, cid, 'after Bob');
    await chatTestApp.relay();
    expect(bobSocket.of('chat.message').map((match) => match.body)).toEqual(['welcome Bob']);
  });

  it('when a member reads or receives over the socket, then the others get chat.receipt; a marker never moves back', async () => {
    const cid = (await createRoom(alice, 'Receipts')).data!.conversationId;
    const inv = (await invite(alice, cid, bob.id)).data!;
    await accept(bob, inv.invitationId);
    for (let index = 0; index < 3; index += 1) await send(alice, cid, `m${index}`);
    const owner = await chatTestApp.a.connect('client', alice);
    const reader = await chatTestApp.b.connect('client', bob);
    await chatTestApp.relay();
    owner.clear();
    await chatTestApp.b.ws.client['chat.delivered']({
      payload: { conversationId: cid, upToSeq: 3 },
      frameId: 'f',
      correlationId: undefined,
      ctx: ctx(reader),
    });
    await chatTestApp.b.ws.client['chat.read']({
      payload: { conversationId: cid, upToSeq: 2 },
      frameId: 'f',
      correlationId: undefined,
      ctx: ctx(reader),
    });
    await chatTestApp.b.ws.client['chat.read']({
      payload: { conversationId: cid, upToSeq: 1 },
      frameId: 'f',
      correlationId: undefined,
      ctx: ctx(reader),
    });
    await chatTestApp.relay();
    expect(owner.of('chat.receipt')).toEqual([
      { conversationId: cid, userId: bob.id, kind: 'delivered', upToSeq: 3 },
      { conversationId: cid, userId: bob.id, kind: 'read', upToSeq: 2 },
    ]);
  });

  it('when a member types, then the room gets chat.typing that expires six seconds later', async () => {
    const room = (await createRoom(alice, 'Typing')).data!;
    const socket = await chatTestApp.a.connect('client', alice);
    const other = await chatTestApp.b.connect('client', alice);
    const typed = ctx(socket);
    await chatTestApp.a.ws.client['chat.typing']({
      payload: { conversationId: room.conversationId, isTyping: true },
      frameId: 'f',
      correlationId: undefined,
      ctx: typed,
    });
    const typing = other.of('chat.typing')[0];
    expect(typing).toMatchObject({
      conversationId: room.conversationId,
      userId: alice.id,
      displayName: 'Alice',
      isTyping: true,
    });
    expect(Date.parse(typing!.expiresAt)).toBe(typed.now.getTime() + 6_000);
  });

  it('when a user opens a first socket and closes the last, then the lobby gets online once and offline once', async () => {
    const testUser = await chatTestApp.user('client', 'Pres');
    const watcher = await chatTestApp.a.connect('client', alice);
    const s1 = await chatTestApp.a.connect('client', testUser);
    const s2 = await chatTestApp.b.connect('client', testUser);
    const mine = () =>
      [...watcher.of('chat.presence')]
        .filter((part) => part.userId === testUser.id)
        .map((part) => part.status);
    expect(mine()).toEqual(['online']);
    const presenceOf = async (testConnection: TestConnection) =>
      (
        await chatTestApp.db.query('SELECT 1 FROM chat_presence WHERE connection_id = $1', [
          testConnection.id,
        ])
      ).rowCount;
    chatTestApp.a.disconnect(s1);
    // The close is handled once its presence row is gone; another socket is open, so no offline.
    await until(async () => (await presenceOf(s1)) === 0);
    expect(mine()).toEqual(['online']);
    chatTestApp.b.disconnect(s2);
    await until(() => mine().length > 1);
    expect(mine()).toEqual(['online', 'offline']);
  });

  it('when a moderator deletes a message, then the room gets chat.message_updated with a null body', async () => {
    const room = (await createRoom(alice, 'Mod live')).data!;
    const match = (await send(alice, room.conversationId, 'oops')).data!;
    const socket = await chatTestApp.b.connect('client', alice);
    await alice.api.POST('/api/v1/client/chat/messages/{messageId}/delete', {
      params: { path: { messageId: match.messageId } },
      body: { reason: 'Posted by mistake.' },
    });
    await chatTestApp.relay();
    expect(socket.of('chat.message_updated')).toEqual([
      expect.objectContaining({
        messageId: match.messageId,
        body: null,
        deleted: true,
        seq: match.seq,
      }),
    ]);
  });
});
