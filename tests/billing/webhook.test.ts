import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../generated/v1/operations.js';
import {
  postWebhook,
  sign,
  startBillingApp,
  stripeEvent,
  type BillingApp,
} from './support/billing-app.js';

let app: BillingApp;
beforeAll(async () => {
  app = await startBillingApp();
});
afterAll(async () => {
  await app?.close();
});

const count = async (sql: string, params: unknown[] = []) =>
  Number((await app.db.query<{ n: number }>(sql, params)).rows[0]!.n);
const eventRows = (id: string) =>
  count('SELECT count(*)::int AS n FROM billing_stripe_events WHERE id = $1', [id]);

describe('webhook signatures (stripe.webhooks.constructEvent over the raw body, 300 s tolerance)', () => {
  it('when the contract marks the webhook rawBody, then the generated operation table says so', () => {
    expect(operations.receiveStripeWebhook.guard).toMatchObject({ rawBody: true });
    expect(operations.receiveStripeWebhook.surface).toBe('webhook');
  });

  it('when the signature is valid, then the event is stored once and acknowledged with 200', async () => {
    const payload = JSON.stringify(
      stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }),
      null,
      2,
    );
    const id = JSON.parse(payload).id as string;
    // Raw: the Stripe signature covers these exact bytes.
    const res = await postWebhook(app, payload, sign(payload));
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toEqual({ received: true, duplicate: false });
    expect(await eventRows(id)).toBe(1);
  });

  const refused: [string, (payload: string) => { body: string; header: string | undefined }][] = [
    [
      'the body was tampered with after signing',
      (path) => ({ body: path.replace('"cus_2"', '"cus_X"'), header: sign(path) }),
    ],
    [
      'the JSON was re-serialized (same data, other bytes)',
      (path) => ({ body: JSON.stringify(JSON.parse(path)), header: sign(path) }),
    ],
    [
      'it was signed with another secret',
      (path) => ({ body: path, header: sign(path, { secret: 'whsec_someone_else' }) }),
    ],
    ['the Stripe-Signature header is missing', (path) => ({ body: path, header: undefined })],
    [
      'the timestamp is 301 s old',
      (path) => ({
        body: path,
        header: sign(path, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      }),
    ],
    ['the header is garbage', (path) => ({ body: path, header: 't=abc,v1=zz' })],
  ];
  it.each(refused)('when %s, then it is a 400 and nothing is stored', async (_label, make) => {
    const payload = JSON.stringify(
      stripeEvent('customer.created', { id: 'cus_2', object: 'customer' }),
      null,
      2,
    );
    const id = JSON.parse(payload).id as string;
    const { body, header } = make(payload);
    const before = await count('SELECT count(*)::int AS n FROM outbox');
    // Raw: the Stripe signature covers these exact bytes.
    const res = await postWebhook(app, body, header);
    expect(res.status, res.text).toBe(400);
    expect(['BILLING.SIGNATURE_INVALID', 'REQUEST.VALIDATION_FAILED']).toContain(
      res.json<{ code: string }>().code,
    );
    expect(await eventRows(id)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM outbox')).toBe(before);
  });

  it('when the timestamp is 299 s old, then it is still accepted (the SDK default tolerance, not 0)', async () => {
    const payload = JSON.stringify(
      stripeEvent('customer.created', { id: 'cus_3', object: 'customer' }),
    );
    // Raw: the Stripe signature covers these exact bytes.
    const res = await postWebhook(
      app,
      payload,
      sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 299 }),
    );
    expect(res.status, res.text).toBe(200);
  });
});

describe('webhook storage and processing', () => {
  it('when an unknown event type arrives, then it is acknowledged, stored and marked ignored', async () => {
    const payload = JSON.stringify(
      stripeEvent('radar.early_fraud_warning.created', { id: 'issfr_1' }),
    );
    const id = JSON.parse(payload).id as string;
    // Raw: the Stripe signature covers these exact bytes.
    expect((await postWebhook(app, payload, sign(payload))).status).toBe(200);
    await app.drain();
    const row = (
      await app.db.query<{ outcome: string; processed_at: Date | null }>(
        'SELECT outcome, processed_at FROM billing_stripe_events WHERE id = $1',
        [id],
      )
    ).rows[0]!;
    expect(row.processed_at).not.toBeNull();
    expect(row.outcome).toMatch(/^ignored/);
  });

  it('when one event is delivered 50 times at once, then there is one event row, one outbox entry and one ledger row', async () => {
    const purchaseId = crypto.randomUUID();
    const clientId = crypto.randomUUID();
    const payload = JSON.stringify(
      stripeEvent('checkout.session.completed', {
        id: `cs_test_${purchaseId.slice(0, 8)}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        amount_total: 8900,
        currency: 'gbp',
        payment_intent: `pi_test_${purchaseId.slice(0, 8)}`,
        client_reference_id: purchaseId,
        metadata: {
          bk_reference_kind: 'pack_purchase',
          bk_reference_id: purchaseId,
          bk_client_id: clientId,
        },
      }),
    );
    const id = JSON.parse(payload).id as string;
    const header = sign(payload);
    const results = await Promise.all(
      // Raw: the Stripe signature covers these exact bytes.
      Array.from({ length: 50 }, () => postWebhook(app, payload, header)),
    );
    expect(results.map((result) => result.status)).toEqual(Array(50).fill(200));
    expect(
      results.filter((result) => result.json<{ duplicate: boolean }>().duplicate === false),
    ).toHaveLength(1);
    await app.drain();
    // Raw: the Stripe signature covers these exact bytes.
    await Promise.all(Array.from({ length: 5 }, () => postWebhook(app, payload, header)));
    await app.drain();
    expect(await eventRows(id)).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM outbox WHERE type = 'billing.stripe_event_received' AND payload->>'stripeEventId' = $1",
        [id],
      ),
    ).toBe(1);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM billing_transactions WHERE stripe_event_id = $1',
        [id],
      ),
    ).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM outbox WHERE type = 'billing.payment_succeeded' AND payload->'reference'->>'id' = $1",
        [purchaseId],
      ),
    ).toBe(1);
  });

  it('when the database cannot store the event (its table is gone), then the webhook answers 5xx so Stripe retries', async () => {
    const down = await startBillingApp();
    const payload = JSON.stringify(stripeEvent('customer.created', { id: 'cus_4' }));
    await down.db.query('ALTER TABLE billing_stripe_events RENAME TO billing_stripe_events_gone');
    try {
      // Raw: the Stripe signature covers these exact bytes.
      const res = await postWebhook(down, payload, sign(payload));
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await down.close();
    }
  });

  it('when someone tries to edit or delete the ledger, then the database refuses', async () => {
    expect(await count('SELECT count(*)::int AS n FROM billing_transactions')).toBeGreaterThan(0);
    await expect(app.db.query('UPDATE billing_transactions SET amount_minor = 1')).rejects.toThrow(
      /append-only/,
    );
    await expect(app.db.query('DELETE FROM billing_transactions')).rejects.toThrow(/append-only/);
    await expect(
      app.db.query('UPDATE billing_transaction_lines SET amount_minor = 1'),
    ).rejects.toThrow(/append-only/);
  });
});
