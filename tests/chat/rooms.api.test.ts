import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatTestApp, type ChatTestApp, type TestUser } from './support/chat-app.js';
import { accept, createRoom, history, invite, send } from './support/chat-calls.js';

let chatTestApp: ChatTestApp;
let owner: TestUser;
let mod: TestUser;
let member: TestUser;
let outsider: TestUser;
let staff: TestUser;
let admin: TestUser;

const UNKNOWN_USER = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const UNKNOWN_MESSAGE = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';

beforeAll(async () => {
  chatTestApp = await startChatTestApp();
  [owner, mod, member, outsider, staff, admin] = await Promise.all([
    chatTestApp.user('client'),
    chatTestApp.user('client'),
    chatTestApp.user('client'),
    chatTestApp.user('client'),
    chatTestApp.user('staff'),
    chatTestApp.user('admin'),
  ]);
});
afterAll(() => chatTestApp.close());

const decline = (testUser: TestUser, invitationId: string) =>
  testUser.api.POST('/api/v1/client/chat/invitations/{invitationId}/decline', {
    params: { path: { invitationId } },
  });

const leave = (testUser: TestUser, conversationId: string) =>
  testUser.api.POST('/api/v1/client/chat/rooms/{conversationId}/leave', {
    params: { path: { conversationId } },
  });

const remove = (testUser: TestUser, conversationId: string, userId: string) =>
  testUser.api.POST('/api/v1/client/chat/rooms/{conversationId}/members/{userId}/remove', {
    params: { path: { conversationId, userId } },
  });

const setRole = (
  testUser: TestUser,
  conversationId: string,
  userId: string,
  role: 'moderator' | 'member',
) =>
  testUser.api.POST('/api/v1/client/chat/rooms/{conversationId}/members/{userId}/role', {
    params: { path: { conversationId, userId } },
    body: { role },
  });

const editAsClient = (testUser: TestUser, messageId: string, body: string, reason: string) =>
  testUser.api.POST('/api/v1/client/chat/messages/{messageId}/edit', {
    params: { path: { messageId } },
    body: { body, reason },
  });

const deleteAsClient = (testUser: TestUser, messageId: string, reason: string) =>
  testUser.api.POST('/api/v1/client/chat/messages/{messageId}/delete', {
    params: { path: { messageId } },
    body: { reason },
  });

async function roomWith(...users: TestUser[]) {
  const room = (await createRoom(owner, 'Batch crew')).data!;
  for (const user of users) {
    const inv = await invite(owner, room.conversationId, user.id);
    expect(inv.response.status).toBe(201);
    expect((await accept(user, inv.data!.invitationId)).response.status).toBe(200);
  }
  return room.conversationId;
}

async function roomWithModerator() {
  const cid = await roomWith(mod, member);
  expect((await setRole(owner, cid, mod.id, 'moderator')).response.status).toBe(200);
  return cid;
}

describe('rooms, invitations and roles', () => {
  it('when a client creates a room, then they own it and it is listed with myRole owner', async () => {
    const res = await createRoom(owner, 'Thursday crew');
    expect(res.response.status).toBe(201);
    expect(res.data).toMatchObject({
      kind: 'room',
      title: 'Thursday crew',
      myRole: 'owner',
      lastSeq: 0,
      unreadCount: 0,
    });
    const members = (
      await owner.api.GET('/api/v1/client/chat/conversations/{conversationId}/members', {
        params: { path: { conversationId: res.data!.conversationId } },
      })
    ).data!.items;
    expect(members).toEqual([
      expect.objectContaining({ userId: owner.id, role: 'owner', displayName: owner.displayName }),
    ]);
  });

  it('when the owner invites, then the invitee sees the pending invitation and accepting makes them a member', async () => {
    const room = (await createRoom(owner, 'Invites')).data!;
    const inv = await invite(owner, room.conversationId, member.id);
    expect(inv.response.status).toBe(201);
    expect(inv.data).toMatchObject({
      conversationId: room.conversationId,
      conversationTitle: 'Invites',
      inviterId: owner.id,
      inviteeId: member.id,
      status: 'pending',
    });
    const invitationId = inv.data!.invitationId;
    const pending = (await member.api.GET('/api/v1/client/chat/invitations')).data!.items;
    expect(pending.map((index) => index.invitationId)).toContain(invitationId);
    const accepted = await accept(member, invitationId);
    expect(accepted.response.status).toBe(200);
    expect(accepted.data).toMatchObject({
      conversationId: room.conversationId,
      myRole: 'member',
    });
    expect(
      (await member.api.GET('/api/v1/client/chat/invitations')).data!.items.map(
        (item) => item.invitationId,
      ),
    ).not.toContain(invitationId);
    expect((await accept(member, invitationId)).error?.code).toBe('CHAT.INVITATION_NOT_PENDING');
  });

  it('when the invitee declines, then they do not join, and nobody else can answer their invitation', async () => {
    const room = (await createRoom(owner, 'Declines')).data!;
    const inv = (await invite(owner, room.conversationId, member.id)).data!;
    const stolen = await accept(outsider, inv.invitationId);
    expect(stolen.response.status).toBe(404);
    expect(stolen.error?.code).toBe('CHAT.INVITATION_NOT_FOUND');
    const declined = await decline(member, inv.invitationId);
    expect(declined.response.status).toBe(200);
    expect(declined.data?.status).toBe('declined');
    expect((await history(member, room.conversationId)).response.status).toBe(404);
    const again = await decline(member, inv.invitationId);
    expect(again.response.status).toBe(409);
    expect(again.error?.code).toBe('CHAT.INVITATION_NOT_PENDING');
  });

  it('when someone is invited twice or is already a member, then it is a 409 CHAT.ALREADY_MEMBER', async () => {
    const cid = await roomWith(member);
    expect((await invite(owner, cid, member.id)).error?.code).toBe('CHAT.ALREADY_MEMBER');
    expect((await invite(owner, cid, outsider.id)).response.status).toBe(201);
    const twice = await invite(owner, cid, outsider.id);
    expect(twice.response.status).toBe(409);
    expect(twice.error?.code).toBe('CHAT.ALREADY_MEMBER');
  });

  it('when the invitee does not exist or is disabled, then it is a 404 CHAT.USER_NOT_FOUND', async () => {
    const cid = await roomWith();
    const disabled = await chatTestApp.user('client');
    await chatTestApp.db.query("UPDATE users SET status = 'disabled' WHERE id = $1", [disabled.id]);
    for (const userId of [UNKNOWN_USER, disabled.id]) {
      const res = await invite(owner, cid, userId);
      expect(res.response.status).toBe(404);
      expect(res.error?.code).toBe('CHAT.USER_NOT_FOUND');
    }
  });

  it('when a plain member invites, then it is a 403 CHAT.NOT_ALLOWED; a moderator may invite', async () => {
    const cid = await roomWithModerator();
    const res = await invite(member, cid, outsider.id);
    expect(res.response.status).toBe(403);
    expect(res.error?.code).toBe('CHAT.NOT_ALLOWED');
    expect((await invite(mod, cid, outsider.id)).response.status).toBe(201);
  });

  it('when inviting into the lobby, then it is refused (rooms only)', async () => {
    const lobby = (await owner.api.GET('/api/v1/client/chat/conversations')).data!.items[0]!;
    const res = await invite(owner, lobby.conversationId, member.id);
    expect(res.response.status).toBe(403);
    expect(res.error?.code).toBe('CHAT.NOT_ALLOWED');
  });

  it('when the owner tries to leave while others remain, then it is a 409 CHAT.OWNER_CANNOT_LEAVE; a member leaves; the owner alone leaves', async () => {
    const cid = await roomWith(member);
    const res = await leave(owner, cid);
    expect(res.response.status).toBe(409);
    expect(res.error?.code).toBe('CHAT.OWNER_CANNOT_LEAVE');
    expect((await leave(member, cid)).response.status).toBe(204);
    expect((await history(member, cid)).response.status).toBe(404);
    expect((await leave(owner, cid)).response.status).toBe(204);
    expect((await history(owner, cid)).response.status).toBe(404);
  });

  it('when removing: the owner removes anyone, a moderator removes members but not moderators or the owner, a member removes nobody', async () => {
    const cid = await roomWithModerator();
    const other = await chatTestApp.user('client');
    const inv = (await invite(owner, cid, other.id)).data!;
    await accept(other, inv.invitationId);
    expect((await remove(member, cid, other.id)).error?.code).toBe('CHAT.NOT_ALLOWED');
    expect((await remove(mod, cid, owner.id)).error?.code).toBe('CHAT.NOT_ALLOWED');
    expect((await remove(mod, cid, other.id)).response.status).toBe(204);
    expect((await history(other, cid)).response.status).toBe(404);
    expect((await remove(mod, cid, outsider.id)).error?.code).toBe('CHAT.USER_NOT_FOUND');
    expect((await remove(owner, cid, mod.id)).response.status).toBe(204);
    const events = await chatTestApp.db.query<{ change: string }>(
      "SELECT payload->>'change' AS change FROM outbox WHERE type = 'chat.membership_changed' AND payload->>'conversationId' = $1 ORDER BY position",
      [cid],
    );
    expect(events.rows.map((row) => row.change)).toEqual([
      'joined',
      'joined',
      'joined',
      'role_changed',
      'joined',
      'removed',
      'removed',
    ]);
  });

  it('when changing roles: only the owner may, never on themself', async () => {
    const cid = await roomWithModerator();
    expect((await setRole(mod, cid, member.id, 'moderator')).error?.code).toBe('CHAT.NOT_ALLOWED');
    expect((await setRole(owner, cid, owner.id, 'member')).error?.code).toBe('CHAT.NOT_ALLOWED');
    const res = await setRole(owner, cid, mod.id, 'member');
    expect(res.response.status).toBe(200);
    expect(res.data).toMatchObject({
      userId: mod.id,
      role: 'member',
      displayName: mod.displayName,
    });
    // Raw: 'owner' is not a role the contract lets a client set, so the typed client cannot send it.
    const toOwner = await chatTestApp.request({
      method: 'POST',
      path: `/api/v1/client/chat/rooms/${cid}/members/${mod.id}/role`,
      headers: owner.headers(),
      body: { role: 'owner' },
    });
    expect(toOwner.status).toBe(400);
  });

  it('when staff use rooms on the admin surface, then the same rules apply', async () => {
    const room = await staff.api.POST('/api/v1/admin/chat/rooms', {
      body: { title: 'Kitchen team' },
    });
    expect(room.response.status).toBe(201);
    const conversationId = room.data!.conversationId;
    const inv = await staff.api.POST('/api/v1/admin/chat/rooms/{conversationId}/invitations', {
      params: { path: { conversationId } },
      body: { userId: admin.id },
    });
    expect(inv.response.status).toBe(201);
    expect((await admin.api.GET('/api/v1/admin/chat/invitations')).data!.items).toHaveLength(1);
    expect(
      (
        await admin.api.POST('/api/v1/admin/chat/invitations/{invitationId}/accept', {
          params: { path: { invitationId: inv.data!.invitationId } },
        })
      ).data?.myRole,
    ).toBe('member');
    expect(
      (
        await admin.api.GET('/api/v1/admin/chat/conversations/{conversationId}/members', {
          params: { path: { conversationId } },
        })
      ).data!.items,
    ).toHaveLength(2);
  });
});

describe('moderation', () => {
  it('when a room moderator edits and deletes a message, then the history shows the edit and a null body with the seq kept, and the audit trail has both', async () => {
    const cid = await roomWithModerator();
    const match = (await send(member, cid, 'call me at 555-0100')).data!;
    const edited = await editAsClient(mod, match.messageId, 'call me', 'Removed a phone number.');
    expect(edited.response.status).toBe(200);
    expect(edited.data).toMatchObject({
      messageId: match.messageId,
      seq: match.seq,
      body: 'call me',
      deleted: false,
    });
    expect(edited.data!.editedAt).not.toBeNull();
    const deleted = await deleteAsClient(owner, match.messageId, 'Off topic.');
    expect(deleted.data).toMatchObject({
      messageId: match.messageId,
      seq: match.seq,
      body: null,
      deleted: true,
    });
    const items = (await history(member, cid)).data!.items;
    expect(items.find((item) => item.seq === match.seq)).toMatchObject({
      body: null,
      deleted: true,
    });
    const trail = await admin.api.GET('/api/v1/admin/chat/messages/{messageId}/moderation', {
      params: { path: { messageId: match.messageId } },
    });
    expect(trail.response.status).toBe(200);
    expect(trail.data!.items).toEqual([
      expect.objectContaining({
        action: 'edit',
        actorId: mod.id,
        before: 'call me at 555-0100',
        after: 'call me',
        reason: 'Removed a phone number.',
      }),
      expect.objectContaining({
        action: 'delete',
        actorId: owner.id,
        before: 'call me',
        after: null,
        reason: 'Off topic.',
      }),
    ]);
    expect(
      (await editAsClient(mod, match.messageId, 'again', 'Second edit after deletion.')).error
        ?.code,
    ).toBe('CHAT.NOT_ALLOWED');
  });

  it('when a plain member moderates, then it is a 403; an outsider gets a 404 CHAT.MESSAGE_NOT_FOUND', async () => {
    const cid = await roomWithModerator();
    const match = (await send(mod, cid, 'hello')).data!;
    const byMember = await deleteAsClient(member, match.messageId, 'Not allowed here.');
    expect(byMember.response.status).toBe(403);
    expect(byMember.error?.code).toBe('CHAT.NOT_ALLOWED');
    const byOutsider = await deleteAsClient(outsider, match.messageId, 'Not allowed here.');
    expect(byOutsider.response.status).toBe(404);
    expect(byOutsider.error?.code).toBe('CHAT.MESSAGE_NOT_FOUND');
    expect(
      (await editAsClient(outsider, UNKNOWN_MESSAGE, 'x', 'Unknown message.')).error?.code,
    ).toBe('CHAT.MESSAGE_NOT_FOUND');
  });

  it('when staff with chat:moderate delete a lobby message on the admin surface, then it is deleted and audited; a client cannot moderate the lobby', async () => {
    const lobby = (await member.api.GET('/api/v1/client/chat/conversations')).data!.items[0]!
      .conversationId;
    const match = (await send(member, lobby, 'spam link')).data!;
    expect((await deleteAsClient(owner, match.messageId, 'Spam.')).error?.code).toBe(
      'CHAT.NOT_ALLOWED',
    );
    const res = await staff.api.POST('/api/v1/admin/chat/messages/{messageId}/delete', {
      params: { path: { messageId: match.messageId } },
      body: { reason: 'Spam.' },
    });
    expect(res.response.status).toBe(200);
    expect(res.data?.deleted).toBe(true);
    const trail = (messageId: string) =>
      staff.api.GET('/api/v1/admin/chat/messages/{messageId}/moderation', {
        params: { path: { messageId } },
      });
    expect((await trail(match.messageId)).data!.items).toHaveLength(1);
    expect((await trail(UNKNOWN_MESSAGE)).error?.code).toBe('CHAT.MESSAGE_NOT_FOUND');
  });
});

describe('sub-lobbies', () => {
  const createSubLobby = (testUser: TestUser, managerId: string, title: string) =>
    testUser.api.POST('/api/v1/admin/chat/sub-lobbies', { body: { managerId, title } });
  const addMember = (testUser: TestUser, conversationId: string, userId: string) =>
    testUser.api.POST('/api/v1/admin/chat/sub-lobbies/{conversationId}/members', {
      params: { path: { conversationId } },
      body: { userId },
    });

  it('when an admin creates a sub-lobby for a staff manager and adds a client, then both are in it and other clients are not', async () => {
    const res = await createSubLobby(admin, staff.id, "Sam's clients");
    expect(res.response.status).toBe(201);
    expect(res.data).toMatchObject({ kind: 'sub_lobby', title: "Sam's clients", myRole: null });
    const cid = res.data!.conversationId;
    const added = await addMember(admin, cid, member.id);
    expect(added.response.status).toBe(200);
    expect(added.data).toMatchObject({ userId: member.id, role: 'member' });
    expect(
      (await staff.api.GET('/api/v1/admin/chat/conversations')).data!.items.find(
        (item) => item.conversationId === cid,
      )!.myRole,
    ).toBe('owner');
    expect((await send(member, cid, 'hi manager')).response.status).toBe(201);
    expect((await history(outsider, cid)).response.status).toBe(404);
    expect((await addMember(admin, cid, member.id)).error?.code).toBe('CHAT.ALREADY_MEMBER');
  });

  it('when the manager is a client or unknown, or the added user is staff, then it is a 404 CHAT.USER_NOT_FOUND; staff without chat:manage get a 403', async () => {
    expect((await createSubLobby(admin, member.id, 'x')).error?.code).toBe('CHAT.USER_NOT_FOUND');
    expect((await createSubLobby(admin, UNKNOWN_USER, 'x')).error?.code).toBe(
      'CHAT.USER_NOT_FOUND',
    );
    const cid = (await createSubLobby(admin, staff.id, 'y')).data!.conversationId;
    expect((await addMember(admin, cid, admin.id)).error?.code).toBe('CHAT.USER_NOT_FOUND');
    const lobby = (await admin.api.GET('/api/v1/admin/chat/conversations')).data!.items[0]!
      .conversationId;
    expect((await addMember(admin, lobby, member.id)).error?.code).toBe(
      'CHAT.CONVERSATION_NOT_FOUND',
    );
    expect((await createSubLobby(staff, staff.id, 'z')).response.status).toBe(403);
  });
});
