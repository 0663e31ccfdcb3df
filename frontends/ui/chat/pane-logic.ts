import { ApiError } from '../../lib/problem.js';
import type { ConnectionState } from '../../lib/ws-client.js';
import type { ConversationKind, MemberRole, TimelineItem } from '../../lib/chat-state.js';

/**
 * The words and small decisions of the conversation pane, without the DOM, so they are unit-tested
 * (tests/frontends/chat-pane-logic.test.ts) apart from the parts that draw them.
 */

export const STATE_TEXT: Record<ConnectionState, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

/** Hours and minutes in the reader's locale; empty for a date that does not parse. */
export function clockTime(iso: string): string {
  const data = new Date(iso);
  return Number.isNaN(data.getTime())
    ? ''
    : data.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.userMessage;
  return err instanceof Error ? err.message : String(err);
}

/** The line under one of my messages: on its way, not sent, sent, or read (by how many in a group). */
export function deliveryText(
  item: Pick<TimelineItem, 'state'>,
  option: { live: boolean; readers: number; kind: ConversationKind },
): string {
  if (item.state === 'pending') return option.live ? 'Sending…' : 'Waiting for connection…';
  if (item.state === 'failed') return 'Not sent';
  if (option.readers === 0) return 'Sent';
  return option.kind === 'visitor' || option.readers === 1 ? 'Read' : `Read by ${option.readers}`;
}

export function olderLoadedText(count: number): string {
  return count ? `${count} older message${count === 1 ? '' : 's'} loaded.` : 'No older messages.';
}

/** Why an invitation failed, in the words of the invite form. */
export function inviteErrorText(err: unknown): string {
  if (err instanceof ApiError && err.code === 'CHAT.USER_NOT_FOUND') return 'No user has that id.';
  if (err instanceof ApiError && err.code === 'CHAT.ALREADY_MEMBER')
    return 'That person is already in this room.';
  if (err instanceof ApiError && err.status === 400) return 'That does not look like a user id.';
  return errorText(err);
}

export function leaveErrorText(err: unknown): string {
  return err instanceof ApiError && err.code === 'CHAT.OWNER_CANNOT_LEAVE'
    ? 'As the owner you can leave only once everyone else has left.'
    : errorText(err);
}

/** What the pane says when I am no longer in the conversation. */
export function goneText(change: 'removed' | 'left', title: string): string {
  return change === 'removed' ? `You were removed from ${title}.` : `You left ${title}.`;
}

/** The role the owner's one role button gives a member or moderator, and its label. */
export function roleToggle(role: MemberRole): { next: 'member' | 'moderator'; label: string } {
  const next = role === 'moderator' ? 'member' : 'moderator';
  return { next, label: next === 'moderator' ? 'Make moderator' : 'Make member' };
}

export type ModerationMode = 'edit' | 'delete';

/** What a moderation form lacks before it may be sent, or null: a reason always, a text to edit to. */
export function moderationProblem(
  mode: ModerationMode,
  reason: string,
  body: string,
): { field: 'reason' | 'body'; message: string } | null {
  if (!reason) return { field: 'reason', message: 'A reason is required.' };
  if (mode === 'edit' && !body)
    return { field: 'body', message: 'The message cannot be empty; delete it instead.' };
  return null;
}
