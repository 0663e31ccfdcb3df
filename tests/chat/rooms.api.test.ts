import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  clientMessageId,
  startChatTestApp,
  type ChatTestApp,
  type TestUser,
} from './support/chat-app.js';

let t: ChatTestApp;
let owner: TestUser;
let mod: TestUser;
let member: TestUser;
let outsider: TestUser;
let staff: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await startChatTestApp();
  [owner, mod, member, outsider, staff, admin] = await Promise.all([
    t.user('client'),
    t.user('client'),
    t.user('client'),
    t.user('client'),
    t.user('staff'),
    t.user('admin'),
  ]);
});
afterAll(() => t.close());

async function roomWith(...users: TestUser[]) {
  const room = (await api(t, owner).post('/rooms', { title: 'Batch crew' })).json();
  for (const u of users) {
    const inv = await api(t, owner).post(`/rooms/${room.conversationId}/invitations`, {
      userId: u.id,
    });
    expect(inv.status).toBe(201);
    expect((await api(t, u).post(`/invitations/${inv.json().invitationId}/accept`)).status).toBe(
      200,
    );
  }
  return room.conversationId as string;
}

async function roomWithModerator() {
  const cid = await roomWith(mod, member);
  expect(
    (await api(t, owner).post(`/rooms/${cid}/members/${mod.id}/role`, { role: 'moderator' }))
      .status,
  ).toBe(200);
  return cid;
}

describe('rooms, invitations and roles', () => {
  it('when a client creates a room, then they own it and it is listed with myRole owner', async () => {
    const res = await api(t, owner).post('/rooms', { title: 'Thursday crew' });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'room',
      title: 'Thursday crew',
      myRole: 'owner',
      lastSeq: 0,
      unreadCount: 0,
    });
    const members = (
      await api(t, owner).get(`/conversations/${res.json().conversationId}/members`)
    ).json().items;
    expect(members).toEqual([
      expect.objectContaining({ userId: owner.id, role: 'owner', displayName: owner.displayName }),
    ]);
  });

  it('when the owner invites, then the invitee sees the pending invitation and accepting makes them a member', async () => {
    const room = (await api(t, owner).post('/rooms', { title: 'Invites' })).json();
    const inv = await api(t, owner).post(`/rooms/${room.conversationId}/invitations`, {
      userId: member.id,
    });
    expect(inv.status).toBe(201);
    expect(inv.json()).toMatchObject({
      conversationId: room.conversationId,
      conversationTitle: 'Invites',
      inviterId: owner.id,
      inviteeId: member.id,
      status: 'pending',
    });
    const pending = (await api(t, member).get('/invitations')).json().items;
    expect(pending.map((i: { invitationId: string }) => i.invitationId)).toContain(
      inv.json().invitationId,
    );
    const accepted = await api(t, member).post(`/invitations/${inv.json().invitationId}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.json()).toMatchObject({
      conversationId: room.conversationId,
      myRole: 'member',
    });
    expect(
      (await api(t, member).get('/invitations'))
        .json()
        .items.map((i: { invitationId: string }) => i.invitationId),
    ).not.toContain(inv.json().invitationId);
    expect(
      (await api(t, member).post(`/invitations/${inv.json().invitationId}/accept`)).json().code,
    ).toBe('CHAT.INVITATION_NOT_PENDING');
  });

  it('when the invitee declines, then they do not join, and nobody else can answer their invitation', async () => {
    const room = (await api(t, owner).post('/rooms', { title: 'Declines' })).json();
    const inv = (
      await api(t, owner).post(`/rooms/${room.conversationId}/invitations`, { userId: member.id })
    ).json();
    const stolen = await api(t, outsider).post(`/invitations/${inv.invitationId}/accept`);
    expect(stolen.status).toBe(404);
    expect(stolen.json().code).toBe('CHAT.INVITATION_NOT_FOUND');
    const declined = await api(t, member).post(`/invitations/${inv.invitationId}/decline`);
    expect(declined.status).toBe(200);
    expect(declined.json().status).toBe('declined');
    expect(
      (await api(t, member).get(`/conversations/${room.conversationId}/messages`)).status,
    ).toBe(404);
    const again = await api(t, member).post(`/invitations/${inv.invitationId}/decline`);
    expect(again.status).toBe(409);
    expect(again.json().code).toBe('CHAT.INVITATION_NOT_PENDING');
  });

  it('when someone is invited twice or is already a member, then it is a 409 CHAT.ALREADY_MEMBER', async () => {
    const cid = await roomWith(member);
    expect(
      (await api(t, owner).post(`/rooms/${cid}/invitations`, { userId: member.id })).json().code,
    ).toBe('CHAT.ALREADY_MEMBER');
    expect(
      (await api(t, owner).post(`/rooms/${cid}/invitations`, { userId: outsider.id })).status,
    ).toBe(201);
    const twice = await api(t, owner).post(`/rooms/${cid}/invitations`, { userId: outsider.id });
    expect(twice.status).toBe(409);
    expect(twice.json().code).toBe('CHAT.ALREADY_MEMBER');
  });

  it('when the invitee does not exist or is disabled, then it is a 404 CHAT.USER_NOT_FOUND', async () => {
    const cid = await roomWith();
    const disabled = await t.user('client');
    await t.db.query("UPDATE users SET status = 'disabled' WHERE id = $1", [disabled.id]);
    for (const userId of ['2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d', disabled.id]) {
      const res = await api(t, owner).post(`/rooms/${cid}/invitations`, { userId });
      expect(res.status).toBe(404);
      expect(res.json().code).toBe('CHAT.USER_NOT_FOUND');
    }
  });

  it('when a plain member invites, then it is a 403 CHAT.NOT_ALLOWED; a moderator may invite', async () => {
    const cid = await roomWithModerator();
    const res = await api(t, member).post(`/rooms/${cid}/invitations`, { userId: outsider.id });
    expect(res.status).toBe(403);
    expect(res.json().code).toBe('CHAT.NOT_ALLOWED');
    expect(
      (await api(t, mod).post(`/rooms/${cid}/invitations`, { userId: outsider.id })).status,
    ).toBe(201);
  });

  it('when inviting into the lobby, then it is refused (rooms only)', async () => {
    const lobby = (await api(t, owner).get('/conversations')).json().items[0];
    const res = await api(t, owner).post(`/rooms/${lobby.conversationId}/invitations`, {
      userId: member.id,
    });
    expect(res.status).toBe(403);
    expect(res.json().code).toBe('CHAT.NOT_ALLOWED');
  });

  it('when the owner tries to leave while others remain, then it is a 409 CHAT.OWNER_CANNOT_LEAVE; a member leaves; the owner alone leaves', async () => {
    const cid = await roomWith(member);
    const res = await api(t, owner).post(`/rooms/${cid}/leave`);
    expect(res.status).toBe(409);
    expect(res.json().code).toBe('CHAT.OWNER_CANNOT_LEAVE');
    expect((await api(t, member).post(`/rooms/${cid}/leave`)).status).toBe(204);
    expect((await api(t, member).get(`/conversations/${cid}/messages`)).status).toBe(404);
    expect((await api(t, owner).post(`/rooms/${cid}/leave`)).status).toBe(204);
    expect((await api(t, owner).get(`/conversations/${cid}/messages`)).status).toBe(404);
  });

  it('when removing: the owner removes anyone, a moderator removes members but not moderators or the owner, a member removes nobody', async () => {
    const cid = await roomWithModerator();
    const other = await t.user('client');
    const inv = (
      await api(t, owner).post(`/rooms/${cid}/invitations`, { userId: other.id })
    ).json();
    await api(t, other).post(`/invitations/${inv.invitationId}/accept`);
    expect(
      (await api(t, member).post(`/rooms/${cid}/members/${other.id}/remove`)).json().code,
    ).toBe('CHAT.NOT_ALLOWED');
    expect((await api(t, mod).post(`/rooms/${cid}/members/${owner.id}/remove`)).json().code).toBe(
      'CHAT.NOT_ALLOWED',
    );
    expect((await api(t, mod).post(`/rooms/${cid}/members/${other.id}/remove`)).status).toBe(204);
    expect((await api(t, other).get(`/conversations/${cid}/messages`)).status).toBe(404);
    expect(
      (await api(t, mod).post(`/rooms/${cid}/members/${outsider.id}/remove`)).json().code,
    ).toBe('CHAT.USER_NOT_FOUND');
    expect((await api(t, owner).post(`/rooms/${cid}/members/${mod.id}/remove`)).status).toBe(204);
    const events = await t.db.query<{ change: string }>(
      "SELECT payload->>'change' AS change FROM outbox WHERE type = 'chat.membership_changed' AND payload->>'conversationId' = $1 ORDER BY position",
      [cid],
    );
    expect(events.rows.map((r) => r.change)).toEqual([
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
    expect(
      (
        await api(t, mod).post(`/rooms/${cid}/members/${member.id}/role`, { role: 'moderator' })
      ).json().code,
    ).toBe('CHAT.NOT_ALLOWED');
    expect(
      (
        await api(t, owner).post(`/rooms/${cid}/members/${owner.id}/role`, { role: 'member' })
      ).json().code,
    ).toBe('CHAT.NOT_ALLOWED');
    const res = await api(t, owner).post(`/rooms/${cid}/members/${mod.id}/role`, {
      role: 'member',
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      userId: mod.id,
      role: 'member',
      displayName: mod.displayName,
    });
    expect(
      (await api(t, owner).post(`/rooms/${cid}/members/${mod.id}/role`, { role: 'owner' })).status,
    ).toBe(400);
  });

  it('when staff use rooms on the admin surface, then the same rules apply', async () => {
    const room = await api(t, staff).post('/rooms', { title: 'Kitchen team' });
    expect(room.status).toBe(201);
    const inv = await api(t, staff).post(`/rooms/${room.json().conversationId}/invitations`, {
      userId: admin.id,
    });
    expect(inv.status).toBe(201);
    expect((await api(t, admin).get('/invitations')).json().items).toHaveLength(1);
    expect(
      (await api(t, admin).post(`/invitations/${inv.json().invitationId}/accept`)).json().myRole,
    ).toBe('member');
    expect(
      (await api(t, admin).get(`/conversations/${room.json().conversationId}/members`)).json()
        .items,
    ).toHaveLength(2);
  });
});

describe('moderation', () => {
  it('when a room moderator edits and deletes a message, then the history shows the edit and a null body with the seq kept, and the audit trail has both', async () => {
    const cid = await roomWithModerator();
    const m = (
      await api(t, member).post(`/conversations/${cid}/messages`, {
        clientMessageId: clientMessageId(),
        body: 'call me at 555-0100',
      })
    ).json();
    const edited = await api(t, mod).post(`/messages/${m.messageId}/edit`, {
      body: 'call me',
      reason: 'Removed a phone number.',
    });
    expect(edited.status).toBe(200);
    expect(edited.json()).toMatchObject({
      messageId: m.messageId,
      seq: m.seq,
      body: 'call me',
      deleted: false,
    });
    expect(edited.json().editedAt).not.toBeNull();
    const deleted = await api(t, owner).post(`/messages/${m.messageId}/delete`, {
      reason: 'Off topic.',
    });
    expect(deleted.json()).toMatchObject({
      messageId: m.messageId,
      seq: m.seq,
      body: null,
      deleted: true,
    });
    const history = (await api(t, member).get(`/conversations/${cid}/messages`)).json().items;
    expect(history.find((x: { seq: number }) => x.seq === m.seq)).toMatchObject({
      body: null,
      deleted: true,
    });
    const trail = await api(t, admin).get(`/messages/${m.messageId}/moderation`);
    expect(trail.status).toBe(200);
    expect(trail.json().items).toEqual([
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
      (
        await api(t, mod).post(`/messages/${m.messageId}/edit`, {
          body: 'again',
          reason: 'Second edit after deletion.',
        })
      ).json().code,
    ).toBe('CHAT.NOT_ALLOWED');
  });

  it('when a plain member moderates, then it is a 403; an outsider gets a 404 CHAT.MESSAGE_NOT_FOUND', async () => {
    const cid = await roomWithModerator();
    const m = (
      await api(t, mod).post(`/conversations/${cid}/messages`, {
        clientMessageId: clientMessageId(),
        body: 'hello',
      })
    ).json();
    const byMember = await api(t, member).post(`/messages/${m.messageId}/delete`, {
      reason: 'Not allowed here.',
    });
    expect(byMember.status).toBe(403);
    expect(byMember.json().code).toBe('CHAT.NOT_ALLOWED');
    const byOutsider = await api(t, outsider).post(`/messages/${m.messageId}/delete`, {
      reason: 'Not allowed here.',
    });
    expect(byOutsider.status).toBe(404);
    expect(byOutsider.json().code).toBe('CHAT.MESSAGE_NOT_FOUND');
    expect(
      (
        await api(t, outsider).post('/messages/7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b/edit', {
          body: 'x',
          reason: 'Unknown message.',
        })
      ).json().code,
    ).toBe('CHAT.MESSAGE_NOT_FOUND');
  });

  it('when staff with chat:moderate delete a lobby message on the admin surface, then it is deleted and audited; a client cannot moderate the lobby', async () => {
    const lobby = (await api(t, member).get('/conversations')).json().items[0].conversationId;
    const m = (
      await api(t, member).post(`/conversations/${lobby}/messages`, {
        clientMessageId: clientMessageId(),
        body: 'spam link',
      })
    ).json();
    expect(
      (await api(t, owner).post(`/messages/${m.messageId}/delete`, { reason: 'Spam.' })).json()
        .code,
    ).toBe('CHAT.NOT_ALLOWED');
    const res = await api(t, staff).post(`/messages/${m.messageId}/delete`, { reason: 'Spam.' });
    expect(res.status).toBe(200);
    expect(res.json().deleted).toBe(true);
    expect(
      (await api(t, staff).get(`/messages/${m.messageId}/moderation`)).json().items,
    ).toHaveLength(1);
    expect(
      (await api(t, staff).get('/messages/7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b/moderation')).json()
        .code,
    ).toBe('CHAT.MESSAGE_NOT_FOUND');
  });
});

describe('sub-lobbies', () => {
  it('when an admin creates a sub-lobby for a staff manager and adds a client, then both are in it and other clients are not', async () => {
    const res = await api(t, admin).post('/sub-lobbies', {
      managerId: staff.id,
      title: "Sam's clients",
    });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'sub_lobby', title: "Sam's clients", myRole: null });
    const cid = res.json().conversationId;
    const added = await api(t, admin).post(`/sub-lobbies/${cid}/members`, { userId: member.id });
    expect(added.status).toBe(200);
    expect(added.json()).toMatchObject({ userId: member.id, role: 'member' });
    expect(
      (await api(t, staff).get('/conversations'))
        .json()
        .items.find((c: { conversationId: string }) => c.conversationId === cid).myRole,
    ).toBe('owner');
    expect(
      (
        await api(t, member).post(`/conversations/${cid}/messages`, {
          clientMessageId: clientMessageId(),
          body: 'hi manager',
        })
      ).status,
    ).toBe(201);
    expect((await api(t, outsider).get(`/conversations/${cid}/messages`)).status).toBe(404);
    expect(
      (await api(t, admin).post(`/sub-lobbies/${cid}/members`, { userId: member.id })).json().code,
    ).toBe('CHAT.ALREADY_MEMBER');
  });

  it('when the manager is a client or unknown, or the added user is staff, then it is a 404 CHAT.USER_NOT_FOUND; staff without chat:manage get a 403', async () => {
    expect(
      (await api(t, admin).post('/sub-lobbies', { managerId: member.id, title: 'x' })).json().code,
    ).toBe('CHAT.USER_NOT_FOUND');
    expect(
      (
        await api(t, admin).post('/sub-lobbies', {
          managerId: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
          title: 'x',
        })
      ).json().code,
    ).toBe('CHAT.USER_NOT_FOUND');
    const cid = (
      await api(t, admin).post('/sub-lobbies', { managerId: staff.id, title: 'y' })
    ).json().conversationId;
    expect(
      (await api(t, admin).post(`/sub-lobbies/${cid}/members`, { userId: admin.id })).json().code,
    ).toBe('CHAT.USER_NOT_FOUND');
    const lobby = (await api(t, admin).get('/conversations')).json().items[0].conversationId;
    expect(
      (await api(t, admin).post(`/sub-lobbies/${lobby}/members`, { userId: member.id })).json()
        .code,
    ).toBe('CHAT.CONVERSATION_NOT_FOUND');
    expect(
      (await api(t, staff).post('/sub-lobbies', { managerId: staff.id, title: 'z' })).status,
    ).toBe(403);
  });
});
