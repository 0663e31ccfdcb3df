import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import {
  decodeCursor,
  encodeCursor,
  keysetPage,
  MAX_PAGE_SIZE,
  type CursorPosition,
} from './cursor.js';

const AT = '2026-11-27T10:15:00.123Z';
const ID = '6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f';
const forged = (createdAt: string, id: string) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

describe('keyset cursor', () => {
  it('when a position is encoded, then it is base64url and decodes back', () => {
    const pos = {
      createdAt: '2026-11-27T10:15:00.123Z',
      id: '6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f',
    };
    const char = encodeCursor(pos);
    expect(char).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(char)).toEqual(pos);
  });

  it('when no cursor is given, then the list starts at the top', () => {
    expect(decodeCursor(undefined)).toBeNull();
  });

  it.each([
    'abc',
    Buffer.from('{"t":"x","id":"y"}').toString('base64url'),
    Buffer.from('null').toString('base64url'),
    Buffer.from('["not a date","6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f"]').toString('base64url'),
    // What Date.parse accepts but Postgres does not, or what is not a real instant.
    forged('1', ID),
    forged('2026', ID),
    forged('0000-01-01T00:00:00.000Z', ID),
    forged('+275760-09-13T00:00:00.000Z', ID),
    forged('2026-02-30T10:15:00.000Z', ID),
    forged('2026-11-27T24:00:00.000Z', ID),
    forged('2026-11-27T10:15:00Z', ID),
    forged('Fri, 27 Nov 2026 10:15:00 GMT', ID),
    // Ids that are 36 characters of hex and dashes but not a UUID, or another spelling of one.
    forged(AT, '-'.repeat(36)),
    forged(AT, 'ffffffffffffffffffffffffffffffffffff'),
    forged(AT, ID.toUpperCase()),
    forged(AT, `{${ID}}`),
    // Extra fields, another shape, another spelling of the same bytes.
    Buffer.from(JSON.stringify([AT, ID, 'x'])).toString('base64url'),
    Buffer.from(JSON.stringify({ createdAt: AT, id: ID })).toString('base64url'),
    Buffer.from(JSON.stringify([AT, ID], null, 1)).toString('base64url'),
    `${encodeCursor({ createdAt: AT, id: ID })}A`,
  ])(
    'when a cursor is forged or garbled (%s), then it is a validation error on /query/cursor',
    (bad) => {
      let err: unknown;
      try {
        decodeCursor(bad);
      } catch (error) {
        err = error;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('REQUEST.VALIDATION_FAILED');
      expect((err as AppError).errors?.[0]?.pointer).toBe('/query/cursor');
    },
  );
});

describe('keyset cursor, for any input', () => {
  it('when any position this API could issue is encoded, then it decodes back unchanged', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        fc.uuid(),
        (at, id) => {
          const pos = { createdAt: at.toISOString(), id };
          expect(decodeCursor(encodeCursor(pos))).toEqual(pos);
        },
      ),
    );
  });

  it('when any string or forged position is given, then it is a position this API could issue or a 400, never another error', () => {
    const anyCursor = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
      fc.tuple(fc.string(), fc.string()).map(([first, second]) => forged(first, second)),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
    );
    fc.assert(
      fc.property(anyCursor, (char) => {
        let pos: CursorPosition | null;
        try {
          pos = decodeCursor(char);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('REQUEST.VALIDATION_FAILED');
          return;
        }
        expect(encodeCursor(pos!)).toBe(char);
        expect(new Date(pos!.createdAt).toISOString()).toBe(pos!.createdAt);
      }),
    );
  });
});

describe('keysetPage', () => {
  const rows = Array.from({ length: 250 }, (_, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 250 - index)).toISOString(),
  }));
  const fetch = async (after: CursorPosition | null, limit: number) => {
    const start = after ? rows.findIndex((row) => row.id === after.id) + 1 : 0;
    return rows.slice(start, start + limit);
  };
  const position = (result: { id: string; createdAt: string }) => result;

  it('when pages are followed by their cursors, then every row comes once, in order, and the last page has no cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await keysetPage({ cursor, limit: 40 }, fetch, position);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(rows.map((row) => row.id));
  });

  it('when no limit is given, then a page holds 20; when a caller asks for more than the cap, then it gets the cap', async () => {
    expect((await keysetPage({}, fetch, position)).items).toHaveLength(20);
    expect((await keysetPage({ limit: 10_000 }, fetch, position)).items).toHaveLength(
      MAX_PAGE_SIZE,
    );
  });

  it('when the rows end exactly at the page size, then there is no next cursor', async () => {
    const page = await keysetPage(
      { limit: 50 },
      async (_after, limit) => rows.slice(0, Math.min(limit, 50)),
      position,
    );
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toBeNull();
  });
});
