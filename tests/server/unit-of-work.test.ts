import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, type Queryable } from '../../server/shared/db/db.js';
import { migrate } from '../../server/shared/db/migrate.js';
import {
  createUnitOfWork,
  type UnitOfWork,
} from '../../server/shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../server/shared/events/domain-event.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** A repository over a scratch table, bound to whatever the unit of work hands it. */
function notes(queryable: Queryable) {
  return {
    async add(text: string) {
      await queryable.query('INSERT INTO uow_notes (text) VALUES ($1)', [text]);
    },
    async all() {
      const result = await queryable.query<{ text: string }>(
        'SELECT text FROM uow_notes ORDER BY text',
      );
      return result.rows.map((row) => row.text);
    },
  };
}

let database: TestDatabase;
let db: Db;
let uow: UnitOfWork<{ notes: ReturnType<typeof notes> }>;

const outboxed = async (type: string) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE type = $1', [type]))
    .rows[0]!.n;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  await migrate(db);
  await db.query('CREATE TABLE uow_notes (text text PRIMARY KEY)');
  uow = createUnitOfWork(db, (queryable) => ({ notes: notes(queryable) }));
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('the unit of work', () => {
  it('when run returns, then its writes and its events commit together', async () => {
    await uow.run(async ({ notes: count, appendEvent }) => {
      await count.add('committed');
      await appendEvent(domainEvent('uow.committed', {}, { at: new Date() }));
    });
    expect(await uow.read(({ notes: count }) => count.all())).toContain('committed');
    expect(await outboxed('uow.committed')).toBe(1);
  });

  it('when run throws, then neither its writes nor its events remain', async () => {
    await expect(
      uow.run(async ({ notes: count, appendEvent }) => {
        await count.add('rolled back');
        await appendEvent(domainEvent('uow.rolled_back', {}, { at: new Date() }));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await uow.read(({ notes: count }) => count.all())).not.toContain('rolled back');
    expect(await outboxed('uow.rolled_back')).toBe(0);
  });

  it("when a second module joins the caller's transaction, then its writes roll back with the caller's", async () => {
    const other = createUnitOfWork(db, (queryable) => ({ notes: notes(queryable) }));
    await expect(
      uow.run(async ({ tx }) => {
        await other.join(tx).notes.add('joined');
        expect(await other.join(tx).notes.all()).toContain('joined');
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await other.read(({ notes: count }) => count.all())).not.toContain('joined');
  });

  it("when run and read happen inside db.txScope (an Idempotency-Key's transaction), then they join it: nothing remains when the scope throws", async () => {
    let seenInside: string[] = [];
    await expect(
      db.txScope(async () => {
        await uow.run(async ({ notes: count, appendEvent }) => {
          await count.add('in scope');
          await appendEvent(domainEvent('uow.in_scope', {}, { at: new Date() }));
        });
        seenInside = await uow.read(({ notes: count }) => count.all());
        throw new Error('scope failed');
      }),
    ).rejects.toThrow('scope failed');
    expect(seenInside).toContain('in scope');
    expect(await uow.read(({ notes: count }) => count.all())).not.toContain('in scope');
    expect(await outboxed('uow.in_scope')).toBe(0);
  });

  it('when run throws inside db.txScope, then only its own writes roll back and the scope commits the rest', async () => {
    await db.txScope(async () => {
      await uow.run(({ notes: count }) => count.add('scope kept'));
      await expect(
        uow.run(async ({ notes: count }) => {
          await count.add('savepoint rolled back');
          throw new Error('use-case refused');
        }),
      ).rejects.toThrow('use-case refused');
    });
    const all = await uow.read(({ notes: count }) => count.all());
    expect(all).toContain('scope kept');
    expect(all).not.toContain('savepoint rolled back');
  });
});
