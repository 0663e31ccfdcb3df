import { describe, expect, it } from 'vitest';
import { ApiError } from '../../frontends/lib/problem.js';
import {
  clockTime,
  deliveryText,
  errorText,
  goneText,
  inviteErrorText,
  leaveErrorText,
  moderationProblem,
  olderLoadedText,
  roleToggle,
} from '../../frontends/ui/chat/pane-logic.js';

const problem = (status: number, code: ApiError['code'], detail?: string): ApiError =>
  new ApiError({ status, code, title: 'Title from the catalogue', detail });

describe('deliveryText', () => {
  const group = { live: true, readers: 0, kind: 'room' as const };
  it('when my message is pending, then it says sending while the socket is open and waiting while it is not', () => {
    expect(deliveryText({ state: 'pending' }, group)).toBe('Sending…');
    expect(deliveryText({ state: 'pending' }, { ...group, live: false })).toBe(
      'Waiting for connection…',
    );
  });
  it('when it failed, then it says not sent, whatever the readers', () => {
    expect(deliveryText({ state: 'failed' }, { ...group, readers: 3 })).toBe('Not sent');
  });
  it('when it is sent, then it counts readers in a group and says only "Read" to a visitor', () => {
    expect(deliveryText({ state: 'sent' }, group)).toBe('Sent');
    expect(deliveryText({ state: 'sent' }, { ...group, readers: 1 })).toBe('Read');
    expect(deliveryText({ state: 'sent' }, { ...group, readers: 3 })).toBe('Read by 3');
    expect(deliveryText({ state: 'sent' }, { ...group, readers: 2, kind: 'visitor' })).toBe('Read');
  });
});

describe('the invite, leave and error texts', () => {
  it("when an invitation fails, then the known codes and a 400 get their own words, anything else the server's", () => {
    expect(inviteErrorText(problem(404, 'CHAT.USER_NOT_FOUND'))).toBe('No user has that id.');
    expect(inviteErrorText(problem(409, 'CHAT.ALREADY_MEMBER'))).toBe(
      'That person is already in this room.',
    );
    expect(inviteErrorText(problem(400, 'REQUEST.VALIDATION_FAILED'))).toBe(
      'That does not look like a user id.',
    );
    expect(inviteErrorText(problem(403, 'CHAT.NOT_ALLOWED', 'Only moderators invite.'))).toBe(
      'Only moderators invite.',
    );
    expect(inviteErrorText(new Error('offline'))).toBe('offline');
  });
  it('when the owner may not leave, then it says why; other failures pass through', () => {
    expect(leaveErrorText(problem(409, 'CHAT.OWNER_CANNOT_LEAVE'))).toBe(
      'As the owner you can leave only once everyone else has left.',
    );
    expect(leaveErrorText(problem(503, 'SERVICE.UNAVAILABLE'))).toBe('Title from the catalogue');
  });
  it('when the error is not an ApiError, then its message or its string is shown', () => {
    expect(errorText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
    expect(errorText('plain')).toBe('plain');
  });
  it('when I am removed or leave, then the text names the conversation', () => {
    expect(goneText('removed', 'Kitchen')).toBe('You were removed from Kitchen.');
    expect(goneText('left', 'Kitchen')).toBe('You left Kitchen.');
  });
  it('when older messages load, then the count is said with its plural, or that there are none', () => {
    expect(olderLoadedText(0)).toBe('No older messages.');
    expect(olderLoadedText(1)).toBe('1 older message loaded.');
    expect(olderLoadedText(40)).toBe('40 older messages loaded.');
  });
  it('when a date does not parse, then no time is shown', () => {
    expect(clockTime('not a date')).toBe('');
    expect(clockTime('2025-01-01T12:34:00Z')).not.toBe('');
  });
});

describe('roleToggle', () => {
  it('when the member is a moderator, then the button makes them a member, and the other way round', () => {
    expect(roleToggle('moderator')).toEqual({ next: 'member', label: 'Make member' });
    expect(roleToggle('member')).toEqual({ next: 'moderator', label: 'Make moderator' });
  });
});

describe('moderationProblem', () => {
  it('when the reason is empty, then that is the problem first, even for an empty edit', () => {
    expect(moderationProblem('edit', '', '')).toEqual({
      field: 'reason',
      message: 'A reason is required.',
    });
    expect(moderationProblem('delete', '', 'text')).toEqual({
      field: 'reason',
      message: 'A reason is required.',
    });
  });
  it('when an edit empties the message, then it points at the text; a delete needs no text', () => {
    expect(moderationProblem('edit', 'typo', '')).toEqual({
      field: 'body',
      message: 'The message cannot be empty; delete it instead.',
    });
    expect(moderationProblem('delete', 'spam', '')).toBeNull();
    expect(moderationProblem('edit', 'typo', 'fixed')).toBeNull();
  });
});
