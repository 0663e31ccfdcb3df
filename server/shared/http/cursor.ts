import { AppError } from '../errors/app-error.js';

/** A keyset position: newest-first lists order by (createdAt desc, id desc). */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

/**
 * Opaque base64url cursors for keyset pagination.
 * @example
 * const next = encodeCursor({ createdAt: last.createdAt, id: last.id });
 * const after = decodeCursor(query.cursor); // throws a 400 naming /query/cursor when tampered
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[0])) && /^[0-9a-f-]{36}$/.test(value[1])) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('REQUEST.VALIDATION_FAILED', { detail: 'The cursor is not one this API issued.', errors: [{ pointer: '/query/cursor', message: 'is not a valid cursor', keyword: 'format' }] });
}
