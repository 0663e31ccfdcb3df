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
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      /^[0-9a-f-]{36}$/.test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('REQUEST.VALIDATION_FAILED', {
    detail: 'The cursor is not one this API issued.',
    errors: [{ pointer: '/query/cursor', message: 'is not a valid cursor', keyword: 'format' }],
  });
}

/** A page of a newest-first list, as every list operation of the contract returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
/** The contract caps `limit` at 100; use-cases cap it too, whoever calls them. */
export const MAX_PAGE_SIZE = 100;

/**
 * One keyset page: asks `fetch` for one row more than the page, so whether another page follows
 * is known without a count, and encodes the last row's position as `nextCursor`.
 * @example
 * return keysetPage(q, (after, limit) => repo.list({ after, limit }), (e) => ({ createdAt: e.createdAt, id: e.id }));
 */
export async function keysetPage<T>(
  q: { cursor?: string | undefined; limit?: number | undefined },
  fetch: (after: CursorPosition | null, limit: number) => Promise<T[]>,
  positionOf: (item: T) => CursorPosition,
): Promise<Page<T>> {
  const limit = Math.min(Math.max(q.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const rows = await fetch(decodeCursor(q.cursor), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
