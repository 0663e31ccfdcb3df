import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/app-error.js';
import { decodeUserCursor, encodeUserCursor } from './user-cursor.js';

describe('user cursor', () => {
  it('when a position is encoded, then it is base64url and decodes back', () => {
    const pos = { createdAt: new Date('2026-11-27T10:15:00.123Z'), id: '6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f' };
    const c = encodeUserCursor(pos);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeUserCursor(c)).toEqual(pos);
  });
  it('when a cursor is forged or garbled, then it is a validation error on /query/cursor', () => {
    for (const bad of ['abc', Buffer.from('{"t":"x","id":"y"}').toString('base64url'), Buffer.from('null').toString('base64url')]) {
      try {
        decodeUserCursor(bad);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('REQUEST.VALIDATION_FAILED');
        expect((err as AppError).errors?.[0]?.pointer).toBe('/query/cursor');
      }
    }
  });
});
