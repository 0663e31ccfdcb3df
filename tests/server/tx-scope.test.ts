/**
 * `db.txScope`: one transaction that the `query` and `tx` calls made inside it join, as an
 * idempotent request's handler does without knowing it. Real Postgres; a second pool plays
 * "anyone else" to tell committed from uncommitted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../server/shared/db/db.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let db: Db;
let other: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { max: 4 });
  other = createDb(database.url, { max: 2 });
  await db.query('CREATE TABLE scoped (tag text NOT NULL, n int NOT NULL)');
});
afterAll(async () => {
  await db?.close();
  await other?.close();
  await database?.drop();
});

const count = async (queryItem: Db, tag: string) =>
  (
    await queryItem.query<{ n: number }>('SELECT count(*)::int AS n FROM scoped WHERE tag = $1', [
      tag,
    ])
  ).rows[0]!.n;

/** Work written the way a use-case is: through the shared `db`, its own `tx`, no scope in sight. */
async function useCase(tag: string, count: number): Promise<void> {
  await db.query('INSERT INTO scoped (tag, n) VALUES ($1, $2)', [tag, count]);
  await db.tx(async (tx) => {
    await tx.query('INSERT INTO scoped (tag, n) VALUES ($1, $2)', [tag, count + 1]);
  });
}

describe('db.txScope', () => {
  it('when work inside the scope writes through db.query and db.tx, then no one else sees it before the scope commits, and everyone after', async () => {
    let seenInside = -1;
    let seenByOthers = -1;
    await db.txScope(async () => {
      await useCase('commit', 1);
      seenInside = await count(db, 'commit');
      seenByOthers = await count(other, 'commit');
    });
    expect(seenInside).toBe(2);
    expect(seenByOthers).toBe(0);
    expect(await count(other, 'commit')).toBe(2);
  });

  it('when the scope throws after the work, then all of it rolls back, what the nested tx committed included', async () => {
    await expect(
      db.txScope(async () => {
        await useCase('rollback', 1);
        throw new Error('after the work');
      }),
    ).rejects.toThrow('after the work');
    expect(await count(other, 'rollback')).toBe(0);
  });

  it('when a nested tx throws and its caller carries on, then only the nested part rolls back and the rest commits', async () => {
    await db.txScope(async () => {
      await db.query("INSERT INTO scoped (tag, n) VALUES ('nested', 1)");
      await db
        .tx(async (tx) => {
          await tx.query("INSERT INTO scoped (tag, n) VALUES ('nested', 2)");
          await tx.query('SELECT 1 / 0');
        })
        .catch(() => undefined);
      await db.query("INSERT INTO scoped (tag, n) VALUES ('nested', 3)");
    });
    const { rows } = await other.query<{ n: number }>(
      "SELECT n FROM scoped WHERE tag = 'nested' ORDER BY n",
    );
    expect(rows.map((row) => row.n)).toEqual([1, 3]);
  });

  it('when something the scope started queries after it ended, then that query runs on its own and succeeds', async () => {
    let later!: Promise<void>;
    await db.txScope(async () => {
      const ended = new Promise<void>((resolve) => setImmediate(resolve));
      later = ended.then(() =>
        db.tx((tx) => tx.query("INSERT INTO scoped VALUES ('later', 1)")).then(() => undefined),
      );
    });
    await later;
    expect(await count(other, 'later')).toBe(1);
  });

  it('when two scopes run at once, then each keeps its own work', async () => {
    let release!: () => void;
    const gate = new Promise<void>((result) => (release = result));
    const left = db.txScope(async () => {
      await useCase('scope-a', 1);
      await gate;
    });
    const right = db.txScope(async () => {
      await useCase('scope-b', 1);
      throw new Error('b fails');
    });
    await expect(right).rejects.toThrow('b fails');
    release();
    await left;
    expect(await count(other, 'scope-a')).toBe(2);
    expect(await count(other, 'scope-b')).toBe(0);
  });
});
