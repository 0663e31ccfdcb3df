import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsufficientCredits } from '../../server/modules/credits/index.js';
import { startBillingApp, type BillingApp } from './support/billing-app.js';

let app: BillingApp;
beforeAll(async () => {
  app = await startBillingApp();
});
afterAll(async () => {
  await app?.close();
});

async function grant(clientId: string, meals: number, sourceId = crypto.randomUUID()) {
  return app.db.tx((tx) =>
    app.credits.ledger.grant(
      tx,
      { clientId, meals, sourceKind: 'test_grant', sourceId, reason: 'test' },
      { now: new Date() },
    ),
  );
}

describe('credits ledger', () => {
  it('when 50 consumptions race for a one-credit balance, then exactly one succeeds and 49 are CREDITS.INSUFFICIENT', async () => {
    const clientId = crypto.randomUUID();
    await grant(clientId, 1);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        app.credits.consume({
          clientId,
          meals: 1,
          sourceKind: 'order',
          sourceId: `order-${index}`,
        }),
      ),
    );
    const ok = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const promiseRejectedResult of refused) {
      expect(promiseRejectedResult.reason).toBeInstanceOf(InsufficientCredits);
      expect(promiseRejectedResult.reason.code).toBe('CREDITS.INSUFFICIENT');
    }
    expect((await app.credits.balance(clientId)).balance).toBe(0);
    const rows = await app.db.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM credit_ledger WHERE client_id = $1 GROUP BY kind ORDER BY kind',
      [clientId],
    );
    expect(rows.rows).toEqual([
      { kind: 'consume', n: 1 },
      { kind: 'grant', n: 1 },
    ]);
  });

  /*
   * The naive read-then-write version. This test was run against it (the lock removed from
   * `lockAccount`) and failed: 13 of the 50 consumptions succeeded on a one-credit balance. It read
   * the balance without a lock, checked it in JS, then wrote the computed value:
   *
   *   const { rows } = await tx.query('SELECT balance FROM credit_accounts WHERE client_id = $1', [clientId]); // no FOR UPDATE
   *   if (rows[0].balance < meals) throw new InsufficientCredits(...);
   *   await tx.query('UPDATE credit_accounts SET balance = $2 WHERE client_id = $1', [clientId, rows[0].balance - meals]);
   *   await tx.query('INSERT INTO credit_ledger ...');
   *
   * Under READ COMMITTED every racing transaction reads balance 1 before any commits, so each passes
   * the check. The fix is `lockAccount`'s `SELECT ... FOR UPDATE` before the check
   * (server/modules/credits/infrastructure/credits.repository.pg.ts).
   */

  it('when a grant is repeated for the same source, then the balance changes once', async () => {
    const clientId = crypto.randomUUID();
    const source = crypto.randomUUID();
    await grant(clientId, 5, source);
    const again = await grant(clientId, 5, source);
    expect(again.duplicate).toBe(true);
    expect((await app.credits.balance(clientId)).balance).toBe(5);
  });

  it('when every change commits, then a credits.balance_changed event is in the outbox with the new balance', async () => {
    const clientId = crypto.randomUUID();
    await grant(clientId, 3);
    await app.credits.consume({
      clientId,
      meals: 2,
      sourceKind: 'order',
      sourceId: crypto.randomUUID(),
    });
    const events = await app.db.query<{
      payload: { balance: number; delta: number; kind: string };
    }>(
      "SELECT payload FROM outbox WHERE type = 'credits.balance_changed' AND payload->>'clientId' = $1 ORDER BY position",
      [clientId],
    );
    expect(
      events.rows.map((row) => [row.payload.kind, row.payload.delta, row.payload.balance]),
    ).toEqual([
      ['grant', 3, 3],
      ['consume', -2, 1],
    ]);
  });

  it('when ordering asks canOrder, then it answers from the balance (seed 000 purchase prerequisite)', async () => {
    const clientId = crypto.randomUUID();
    expect(await app.credits.canOrder(clientId, 1)).toEqual({
      allowed: false,
      reason: 'no_entitlement',
      balance: 0,
    });
    await grant(clientId, 4);
    expect(await app.credits.canOrder(clientId, 4)).toEqual({
      allowed: true,
      reason: 'ok',
      balance: 4,
    });
    expect(await app.credits.canOrder(clientId, 5)).toEqual({
      allowed: false,
      reason: 'insufficient_credits',
      balance: 4,
    });
  });

  it('when someone edits the credit ledger, then the database refuses', async () => {
    const clientId = crypto.randomUUID();
    await grant(clientId, 1);
    await expect(
      app.db.query('UPDATE credit_ledger SET delta = 100 WHERE client_id = $1', [clientId]),
    ).rejects.toThrow(/append-only/);
  });
});
