import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursor', () => {
  it('when a position is encoded, then it is base64url and decodes back', () => {
    const pos = { createdAt: '2026-11-27T10:15:00.123Z', id: '6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f' };
    const c = encodeCursor(pos);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual(pos);
  });

  it('when no cursor is given, then the list starts at the top', () => {
    expect(decodeCursor(undefined)).toBeNull();
  });

  it.each(['abc', Buffer.from('{"t":"x","id":"y"}').toString('base64url'), Buffer.from('null').toString('base64url'), Buffer.from('["not a date","6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f"]').toString('base64url')])(
    'when a cursor is forged or garbled (%s), then it is a validation error on /query/cursor',
    (bad) => {
      let err: unknown;
      try {
        decodeCursor(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('REQUEST.VALIDATION_FAILED');
      expect((err as AppError).errors?.[0]?.pointer).toBe('/query/cursor');
    },
  );
});
