import type { components } from '../../generated/v1/types.js';

/**
 * The pure state of the chat screens (no DOM, no network), shared by the client and admin
 * surfaces and unit-tested in tests/frontends/chat-state.test.ts.
 */
export type ChatMessage = components['schemas']['ChatMessage'];
export type Conversation = components['schemas']['Conversation'];
export type ConversationKind = components['schemas']['ConversationKind'];
export type MemberRole = components['schemas']['MemberRole'];
export type VisitorConversation = components['schemas']['VisitorConversation'];
export type MessageAccepted = components['schemas']['MessageAccepted'];
export type TypingIndicator = components['schemas']['TypingIndicator'];

export type DeliveryState = 'pending' | 'sent' | 'failed';

/** One line of the timeline: a stored message, or one of mine still on its way. */
export interface TimelineItem {
  clientMessageId: string;
  messageId: string | null;
  seq: number | null;
  senderId: string;
  senderName: string;
  body: string | null;
  sentAt: string;
  editedAt: string | null;
  deleted: boolean;
  state: DeliveryState;
}

function fromMessage(match: ChatMessage): TimelineItem {
  return {
    clientMessageId: match.clientMessageId,
    messageId: match.messageId,
    seq: match.seq,
    senderId: match.sender.id,
    senderName: match.sender.displayName,
    body: match.body,
    sentAt: match.sentAt,
    editedAt: match.editedAt,
    deleted: match.deleted,
    state: 'sent',
  };
}

export type UpsertResult = 'added' | 'updated' | 'confirmed' | 'duplicate';

/**
 * The messages of one conversation, ordered by seq, with my unconfirmed sends after them in the
 * order I wrote them. A stored message replaces the pending one with the same clientMessageId
 * (pending → sent); the same seq twice (live and from a catch-up or a page) is kept once.
 */
export class Timeline {
  private readonly stored = new Map<number, TimelineItem>();
  private readonly pending = new Map<string, TimelineItem>();
  private hasMoreOlder = true;

  get items(): TimelineItem[] {
    return [
      ...[...this.stored.values()].sort((left, right) => left.seq! - right.seq!),
      ...this.pending.values(),
    ];
  }

  get oldestSeq(): number | null {
    let min: number | null = null;
    for (const seq of this.stored.keys()) if (min === null || seq < min) min = seq;
    return min;
  }

  get newestSeq(): number {
    let max = 0;
    for (const seq of this.stored.keys()) if (seq > max) max = seq;
    return max;
  }

  get canLoadOlder(): boolean {
    return this.hasMoreOlder && (this.oldestSeq ?? 0) > 1;
  }

  /** A page of history (`hasMore` from the server says whether older ones remain). */
  addPage(items: ChatMessage[], hasMore: boolean, older: boolean): void {
    for (const item of items) this.upsert(item);
    if (older || this.stored.size === items.length) this.hasMoreOlder = hasMore;
  }

  upsert(match: ChatMessage): UpsertResult {
    const existing = this.stored.get(match.seq);
    const wasPending = this.pending.delete(match.clientMessageId);
    this.stored.set(match.seq, fromMessage(match));
    if (wasPending) return 'confirmed';
    if (!existing) return 'added';
    return existing.body === match.body &&
      existing.deleted === match.deleted &&
      existing.editedAt === match.editedAt
      ? 'duplicate'
      : 'updated';
  }

  addPending(part: {
    clientMessageId: string;
    body: string;
    senderId: string;
    senderName: string;
    now: Date;
  }): TimelineItem {
    const item: TimelineItem = {
      clientMessageId: part.clientMessageId,
      messageId: null,
      seq: null,
      senderId: part.senderId,
      senderName: part.senderName,
      body: part.body,
      sentAt: part.now.toISOString(),
      editedAt: null,
      deleted: false,
      state: 'pending',
    };
    this.pending.set(part.clientMessageId, item);
    return item;
  }

  /** `chat.message_accepted`: the server stored my send; it becomes a message with its seq. */
  accept(first: MessageAccepted): boolean {
    const item = this.pending.get(first.clientMessageId);
    if (!item) return false;
    this.pending.delete(first.clientMessageId);
    if (!this.stored.has(first.seq))
      this.stored.set(first.seq, {
        ...item,
        messageId: first.messageId,
        seq: first.seq,
        sentAt: first.sentAt,
        state: 'sent',
      });
    return true;
  }

  markFailed(clientMessageId: string): void {
    const item = this.pending.get(clientMessageId);
    if (item) item.state = 'failed';
  }

  markPending(clientMessageId: string): void {
    const item = this.pending.get(clientMessageId);
    if (item) item.state = 'pending';
  }

  pendingItem(clientMessageId: string): TimelineItem | undefined {
    return this.pending.get(clientMessageId);
  }

  bySeq(seq: number): TimelineItem | undefined {
    return this.stored.get(seq);
  }
}

const KIND_ORDER: Record<ConversationKind, number> = {
  lobby: 0,
  sub_lobby: 1,
  room: 2,
  visitor: 3,
};

/** Lobby first, then sub-lobbies, then rooms; by title within a kind. */
export function sortConversations(list: readonly Conversation[]): Conversation[] {
  return [...list].sort(
    (left, right) =>
      KIND_ORDER[left.kind] - KIND_ORDER[right.kind] || left.title.localeCompare(right.title),
  );
}

export const KIND_LABEL: Record<ConversationKind, string> = {
  lobby: 'Lobby',
  sub_lobby: 'Sub-lobbies',
  room: 'Rooms',
  visitor: 'Visitors',
};

/** Groups the sorted list by kind, for headed sections in the sidebar. */
export function groupConversations(
  list: readonly Conversation[],
): Array<{ kind: ConversationKind; label: string; items: Conversation[] }> {
  const groups: Array<{ kind: ConversationKind; label: string; items: Conversation[] }> = [];
  for (const item of sortConversations(list)) {
    let group = groups.find((groupItem) => groupItem.kind === item.kind);
    if (!group) groups.push((group = { kind: item.kind, label: KIND_LABEL[item.kind], items: [] }));
    group.items.push(item);
  }
  return groups;
}

/** The visitor inbox: waiting conversations first, then the most recent activity first. */
export function sortVisitorInbox(list: readonly VisitorConversation[]): VisitorConversation[] {
  return [...list].sort((left, right) => {
    if (left.status !== right.status) return left.status === 'waiting' ? -1 : 1;
    return Date.parse(right.lastMessageAt) - Date.parse(left.lastMessageAt);
  });
}

/** Puts a live `chat.visitor_conversation` into the inbox (replacing an older copy) and re-sorts. */
export function upsertVisitor(
  list: readonly VisitorConversation[],
  next: VisitorConversation,
): VisitorConversation[] {
  const current = list.find((item) => item.conversationId === next.conversationId);
  // A frame that is older than what we hold (lower seq) must not roll the row back.
  if (current && current.lastSeq > next.lastSeq) return sortVisitorInbox(list);
  return sortVisitorInbox([
    ...list.filter((item) => item.conversationId !== next.conversationId),
    next,
  ]);
}

/** A badge's text: nothing for 0, "99+" past 99. */
export function unreadLabel(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** The seq to report as read, or null when nothing new is visible. */
export function readTarget(lastReadSeq: number, newestVisibleSeq: number | null): number | null {
  if (newestVisibleSeq === null || newestVisibleSeq <= lastReadSeq) return null;
  return newestVisibleSeq;
}

/** What a key press in the composer means: Enter sends, Shift+Enter (or an IME composition) does not. */
export function composerKey(entry: {
  key: string;
  shiftKey: boolean;
  isComposing?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}): 'send' | 'newline' | null {
  if (entry.key !== 'Enter' || entry.isComposing) return null;
  if (entry.shiftKey || entry.altKey) return 'newline';
  return 'send';
}

/** Who may edit and delete others' messages: any staff on admin; a room's owner or moderator on client. */
export function canModerate(surface: 'client' | 'admin', myRole: MemberRole | null): boolean {
  if (surface === 'admin') return true;
  return myRole === 'owner' || myRole === 'moderator';
}

/** Mirrors the server's policy: the owner removes anyone but themself, moderators remove members. */
export function canRemoveMember(
  myRole: MemberRole | null,
  target: { userId: string; role: MemberRole },
  meId: string,
): boolean {
  if (target.userId === meId) return false;
  if (myRole === 'owner') return target.role !== 'owner';
  if (myRole === 'moderator') return target.role === 'member';
  return false;
}

/** Only the owner changes roles, never their own. */
export function canSetRole(
  myRole: MemberRole | null,
  target: { userId: string; role: MemberRole },
  meId: string,
): boolean {
  return myRole === 'owner' && target.role !== 'owner' && target.userId !== meId;
}

/** Owners and moderators invite into a room. */
export function canInvite(myRole: MemberRole | null, kind: ConversationKind): boolean {
  return kind === 'room' && (myRole === 'owner' || myRole === 'moderator');
}

/** A room member leaves; its owner only once nobody else remains. */
export function canLeave(
  myRole: MemberRole | null,
  kind: ConversationKind,
  otherMembers: number,
): boolean {
  if (kind !== 'room' || myRole === null) return false;
  return myRole !== 'owner' || otherMembers === 0;
}

/**
 * Who is typing in a conversation, with each indicator's expiry (the server's TTL): a stop or an
 * expiry removes the name; my own indicator is ignored.
 */
export class TypingTracker {
  private readonly byConversation = new Map<string, Map<string, { name: string; until: number }>>();

  constructor(private readonly meId: string) {}

  apply(target: TypingIndicator, now: number): void {
    if (target.userId === this.meId) return;
    let users = this.byConversation.get(target.conversationId);
    if (!users) this.byConversation.set(target.conversationId, (users = new Map()));
    const until = Date.parse(target.expiresAt);
    if (!target.isTyping || !(until > now)) users.delete(target.userId);
    // A skewed server clock must not keep an indicator for minutes: at most 10 s from now.
    else
      users.set(target.userId, { name: target.displayName, until: Math.min(until, now + 10_000) });
  }

  /** A message from a user ends their typing. */
  stop(conversationId: string, userId: string): void {
    this.byConversation.get(conversationId)?.delete(userId);
  }

  names(conversationId: string, now: number): string[] {
    const users = this.byConversation.get(conversationId);
    if (!users) return [];
    for (const [id, value] of users) if (value.until <= now) users.delete(id);
    return [...users.values()].map((user) => user.name);
  }

  /** The earliest expiry in a conversation, to schedule the next refresh; null when nobody types. */
  nextExpiry(conversationId: string): number | null {
    const users = this.byConversation.get(conversationId);
    if (!users || users.size === 0) return null;
    return Math.min(...[...users.values()].map((user) => user.until));
  }
}

export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** Read receipts: each member's read marker, to say "Read" or "Read by 3" under my messages. */
export class ReadMarkers {
  private readonly byUser = new Map<string, number>();

  constructor(private readonly meId: string) {}

  apply(userId: string, upToSeq: number): void {
    if (userId === this.meId) return;
    if (upToSeq > (this.byUser.get(userId) ?? 0)) this.byUser.set(userId, upToSeq);
  }

  readersOf(seq: number): number {
    let count = 0;
    for (const value of this.byUser.values()) if (value >= seq) count += 1;
    return count;
  }
}

/** A member's role in words. */
export function roleLabel(role: MemberRole): string {
  return role === 'owner' ? 'Owner' : role === 'moderator' ? 'Moderator' : 'Member';
}
