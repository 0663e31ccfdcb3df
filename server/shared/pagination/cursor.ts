import { AppError } from '../errors/app-error.js';

/** A keyset position: newest-first lists order by (createdAt desc, id desc). */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

/** A canonical UUID as Postgres and `randomUUID` write it: lowercase hex in 8-4-4-4-12 groups. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `Date#toISOString` of a year from 1970 to 9999: the only instants this API writes into a cursor. */
const INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Opaque base64url cursors for keyset pagination.
 * @example
 * const next = encodeCursor({ createdAt: last.createdAt, id: last.id });
 * const after = decodeCursor(query.cursor); // throws a 400 naming /query/cursor when tampered
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/**
 * The position a cursor names, or null without one. A cursor is accepted only when it is exactly
 * what `encodeCursor` makes of a valid position: canonical base64url of `[instant, uuid]`, the
 * instant a real `toISOString()` (no 30 February, no year 0 or 275760) and the id a real UUID.
 * Anything else, including extra fields or other spellings of the same position, is a 400, so no
 * forged value reaches SQL (where a bad timestamp or uuid would fail the query as a 500).
 */
export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined) return null;
  const position = parsePosition(cursor);
  if (position && encodeCursor(position) === cursor) return position;
  throw new AppError('REQUEST.VALIDATION_FAILED', {
    detail: 'The cursor is not one this API issued.',
    errors: [{ pointer: '/query/cursor', message: 'is not a valid cursor', keyword: 'format' }],
  });
}

function parsePosition(cursor: string): CursorPosition | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [createdAt, id] = value as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string') return null;
  if (!INSTANT.test(createdAt) || !UUID.test(id)) return null;
  // The pattern lets 2026-02-30 or 25:00 through; a real instant prints back the same.
  const at = new Date(createdAt);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== createdAt) return null;
  return { createdAt, id };
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
  query: { cursor?: string | undefined; limit?: number | undefined },
  fetch: (after: CursorPosition | null, limit: number) => Promise<T[]>,
  positionOf: (item: T) => CursorPosition,
): Promise<Page<T>> {
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const rows = await fetch(decodeCursor(query.cursor), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
