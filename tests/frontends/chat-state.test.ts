import { describe, expect, it } from 'vitest';
import {
  ReadMarkers,
  Timeline,
  TypingTracker,
  canInvite,
  canLeave,
  canModerate,
  canRemoveMember,
  canSetRole,
  composerKey,
  groupConversations,
  readTarget,
  sortVisitorInbox,
  typingText,
  unreadLabel,
  upsertVisitor,
  type ChatMessage,
  type Conversation,
  type VisitorConversation,
} from '../../frontends/lib/chat-state.js';
import { formatMoney } from '../../frontends/lib/money.js';

const CONV = '4d5e6f70-8192-4a3b-9c4d-5e6f7a8b9c0d';
function msg(seq: number, over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    messageId: `m-${seq}`,
    conversationId: CONV,
    seq,
    sender: { kind: 'user', id: 'u-other', displayName: 'Ada' },
    body: `message ${seq}`,
    clientMessageId: `c-${seq}`,
    sentAt: new Date(Date.UTC(2025, 0, 1, 12, seq)).toISOString(),
    editedAt: null,
    deleted: false,
    ...over,
  };
}

describe('Timeline', () => {
  it('when messages arrive out of order and twice, then it holds each seq once, in seq order', () => {
    const timeline = new Timeline();
    expect(timeline.upsert(msg(3))).toBe('added');
    expect(timeline.upsert(msg(1))).toBe('added');
    expect(timeline.upsert(msg(2))).toBe('added');
    expect(timeline.upsert(msg(2))).toBe('duplicate');
    expect(timeline.items.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(timeline.oldestSeq).toBe(1);
    expect(timeline.newestSeq).toBe(3);
  });

  it('when my send is pending, then it sits after the stored messages; the accepted frame makes it sent with its seq', () => {
    const timeline = new Timeline();
    timeline.upsert(msg(1));
    timeline.addPending({
      clientMessageId: 'mine-1',
      body: 'hi',
      senderId: 'me',
      senderName: 'Me',
      now: new Date(),
    });
    expect(timeline.items.map((item) => [item.clientMessageId, item.state])).toEqual([
      ['c-1', 'sent'],
      ['mine-1', 'pending'],
    ]);
    expect(
      timeline.accept({
        clientMessageId: 'mine-1',
        messageId: 'm-2',
        conversationId: CONV,
        seq: 2,
        sentAt: '2025-01-01T12:02:00.000Z',
      }),
    ).toBe(true);
    expect(timeline.items.map((item) => [item.clientMessageId, item.seq, item.state])).toEqual([
      ['c-1', 1, 'sent'],
      ['mine-1', 2, 'sent'],
    ]);
    // The same message live afterwards (chat.message) is not a second line.
    expect(
      timeline.upsert(
        msg(2, {
          clientMessageId: 'mine-1',
          sender: { kind: 'user', id: 'me', displayName: 'Me' },
          body: 'hi',
          sentAt: '2025-01-01T12:02:00.000Z',
        }),
      ),
    ).toBe('duplicate');
    expect(timeline.items).toHaveLength(2);
  });

  it('when the stored message arrives before the acceptance, then the pending line is confirmed, not duplicated', () => {
    const timeline = new Timeline();
    timeline.addPending({
      clientMessageId: 'mine-1',
      body: 'hi',
      senderId: 'me',
      senderName: 'Me',
      now: new Date(),
    });
    expect(timeline.upsert(msg(5, { clientMessageId: 'mine-1' }))).toBe('confirmed');
    expect(
      timeline.accept({
        clientMessageId: 'mine-1',
        messageId: 'm-5',
        conversationId: CONV,
        seq: 5,
        sentAt: 'x',
      }),
    ).toBe(false);
    expect(timeline.items).toHaveLength(1);
  });

  it('when a send fails, then it is marked failed and can go back to pending for a retry', () => {
    const timeline = new Timeline();
    timeline.addPending({
      clientMessageId: 'x',
      body: 'hi',
      senderId: 'me',
      senderName: 'Me',
      now: new Date(),
    });
    timeline.markFailed('x');
    expect(timeline.pendingItem('x')?.state).toBe('failed');
    timeline.markPending('x');
    expect(timeline.pendingItem('x')?.state).toBe('pending');
  });

  it('when a moderator edits or deletes, then the update replaces the line', () => {
    const timeline = new Timeline();
    timeline.upsert(msg(1));
    expect(timeline.upsert(msg(1, { body: 'fixed', editedAt: '2025-01-01T13:00:00.000Z' }))).toBe(
      'updated',
    );
    expect(timeline.upsert(msg(1, { body: null, deleted: true }))).toBe('updated');
    expect(timeline.items[0]).toMatchObject({ body: null, deleted: true });
  });

  it('when pages say there is no more, then "load older" is not offered; it is while older seqs remain', () => {
    const timeline = new Timeline();
    timeline.addPage([msg(41), msg(42)], true, true);
    expect(timeline.canLoadOlder).toBe(true);
    timeline.addPage([msg(40)], false, true);
    expect(timeline.canLoadOlder).toBe(false);
    const fromStart = new Timeline();
    fromStart.addPage([msg(1), msg(2)], false, true);
    expect(fromStart.canLoadOlder).toBe(false);
  });
});

describe('conversation lists', () => {
  const conv = (kind: Conversation['kind'], title: string): Conversation => ({
    conversationId: title,
    kind,
    title,
    myRole: null,
    lastSeq: 0,
    lastReadSeq: 0,
    unreadCount: 0,
    createdAt: '2025-01-01T00:00:00Z',
  });

  it('when grouped, then the lobby comes first, then sub-lobbies, then rooms, each by title', () => {
    const groups = groupConversations([
      conv('room', 'Zeta'),
      conv('room', 'Alpha'),
      conv('sub_lobby', 'Team B'),
      conv('lobby', 'Lobby'),
    ]);
    expect(groups.map((group) => [group.label, group.items.map((item) => item.title)])).toEqual([
      ['Lobby', ['Lobby']],
      ['Sub-lobbies', ['Team B']],
      ['Rooms', ['Alpha', 'Zeta']],
    ]);
  });

  const visitor = (
    id: string,
    status: VisitorConversation['status'],
    at: string,
    lastSeq = 1,
  ): VisitorConversation => ({
    conversationId: id,
    guestId: `g-${id}`,
    status,
    lastSeq,
    unreadCount: 1,
    lastMessageAt: at,
  });

  it('when the inbox is sorted, then waiting conversations come first, newest activity first within each', () => {
    const sorted = sortVisitorInbox([
      visitor('a', 'answered', '2025-01-01T12:05:00Z'),
      visitor('b', 'waiting', '2025-01-01T12:01:00Z'),
      visitor('c', 'waiting', '2025-01-01T12:03:00Z'),
      visitor('d', 'answered', '2025-01-01T12:09:00Z'),
    ]);
    expect(sorted.map((value) => value.conversationId)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('when a live update comes, then it replaces the row and re-sorts; an older frame does not roll it back', () => {
    let list = [
      visitor('a', 'waiting', '2025-01-01T12:00:00Z', 3),
      visitor('b', 'answered', '2025-01-01T12:01:00Z', 2),
    ];
    list = upsertVisitor(list, visitor('a', 'answered', '2025-01-01T12:02:00Z', 4));
    expect(list.map((value) => [value.conversationId, value.status])).toEqual([
      ['a', 'answered'],
      ['b', 'answered'],
    ]);
    list = upsertVisitor(list, visitor('a', 'waiting', '2025-01-01T12:01:30Z', 3));
    expect(list.find((value) => value.conversationId === 'a')?.status).toBe('answered');
    list = upsertVisitor(list, visitor('new', 'waiting', '2025-01-01T12:03:00Z'));
    expect(list[0]?.conversationId).toBe('new');
  });

  it('when unread counts are shown, then 0 is nothing and past 99 is 99+', () => {
    expect(unreadLabel(0)).toBe('');
    expect(unreadLabel(7)).toBe('7');
    expect(unreadLabel(100)).toBe('99+');
  });
});

describe('reading, typing and keys', () => {
  it('when the newest visible seq is past the read marker, then that seq is reported, else nothing', () => {
    expect(readTarget(3, 5)).toBe(5);
    expect(readTarget(5, 5)).toBeNull();
    expect(readTarget(5, 2)).toBeNull();
    expect(readTarget(0, null)).toBeNull();
  });

  it('when Enter is pressed, then it sends; Shift+Enter and IME composition do not', () => {
    expect(composerKey({ key: 'Enter', shiftKey: false })).toBe('send');
    expect(composerKey({ key: 'Enter', shiftKey: true })).toBe('newline');
    expect(composerKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBeNull();
    expect(composerKey({ key: 'a', shiftKey: false })).toBeNull();
  });

  it('when others type, then their names show until they stop or the TTL passes; mine never shows', () => {
    const typingTracker = new TypingTracker('me');
    const now = Date.parse('2025-01-01T12:00:00Z');
    const at = (ms: number): string => new Date(now + ms).toISOString();
    typingTracker.apply(
      {
        conversationId: CONV,
        userId: 'a',
        displayName: 'Ada',
        isTyping: true,
        expiresAt: at(5000),
      },
      now,
    );
    typingTracker.apply(
      { conversationId: CONV, userId: 'b', displayName: 'Bo', isTyping: true, expiresAt: at(8000) },
      now,
    );
    typingTracker.apply(
      {
        conversationId: CONV,
        userId: 'me',
        displayName: 'Me',
        isTyping: true,
        expiresAt: at(8000),
      },
      now,
    );
    expect(typingText(typingTracker.names(CONV, now))).toBe('Ada and Bo are typing…');
    expect(typingTracker.nextExpiry(CONV)).toBe(now + 5000);
    expect(typingText(typingTracker.names(CONV, now + 6000))).toBe('Bo is typing…');
    typingTracker.stop(CONV, 'b');
    expect(typingTracker.names(CONV, now + 6000)).toEqual([]);
    // A far-future expiry (a skewed clock) is capped at 10 s.
    typingTracker.apply(
      {
        conversationId: CONV,
        userId: 'a',
        displayName: 'Ada',
        isTyping: true,
        expiresAt: at(600_000),
      },
      now,
    );
    expect(typingTracker.names(CONV, now + 10_001)).toEqual([]);
    expect(typingText(['a', 'b', 'c'])).toBe('Several people are typing…');
  });

  it('when read receipts come in, then each reader counts once for the seqs up to their marker, never going back', () => {
    const readMarkers = new ReadMarkers('me');
    readMarkers.apply('a', 5);
    readMarkers.apply('b', 3);
    readMarkers.apply('a', 2);
    readMarkers.apply('me', 9);
    expect(readMarkers.readersOf(3)).toBe(2);
    expect(readMarkers.readersOf(5)).toBe(1);
    expect(readMarkers.readersOf(6)).toBe(0);
  });
});

describe('who may do what (mirrors the server policy)', () => {
  it('moderation: any staff on admin; owners and moderators on client', () => {
    expect(canModerate('admin', null)).toBe(true);
    expect(canModerate('client', 'owner')).toBe(true);
    expect(canModerate('client', 'moderator')).toBe(true);
    expect(canModerate('client', 'member')).toBe(false);
    expect(canModerate('client', null)).toBe(false);
  });

  it('members: the owner removes anyone but themself, moderators remove members, only the owner sets roles', () => {
    const member = { userId: 'u1', role: 'member' as const };
    const mod = { userId: 'u2', role: 'moderator' as const };
    const owner = { userId: 'me', role: 'owner' as const };
    expect(canRemoveMember('owner', mod, 'me')).toBe(true);
    expect(canRemoveMember('owner', owner, 'me')).toBe(false);
    expect(canRemoveMember('moderator', member, 'me')).toBe(true);
    expect(canRemoveMember('moderator', mod, 'me')).toBe(false);
    expect(canRemoveMember('member', member, 'me')).toBe(false);
    expect(canSetRole('owner', member, 'me')).toBe(true);
    expect(canSetRole('moderator', member, 'me')).toBe(false);
    expect(canInvite('moderator', 'room')).toBe(true);
    expect(canInvite('member', 'room')).toBe(false);
    expect(canInvite('owner', 'lobby')).toBe(false);
    expect(canLeave('member', 'room', 3)).toBe(true);
    expect(canLeave('owner', 'room', 1)).toBe(false);
    expect(canLeave('owner', 'room', 0)).toBe(true);
    expect(canLeave('member', 'lobby', 3)).toBe(false);
  });
});

describe('money', () => {
  it('formats minor units in the currency', () => {
    expect(formatMoney(4500, 'GBP', 'en-GB')).toBe('£45.00');
    expect(formatMoney(650, 'eur', 'en-GB')).toBe('€6.50');
  });
});
