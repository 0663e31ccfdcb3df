/**
 * The billing operations the frontends call with an `Idempotency-Key` (pack checkout, refund) run
 * inside the key's transaction. With the local provider a refund posts its `charge.refunded` to
 * our own webhook while that transaction is still open: this proves the two do not wait on each
 * other, that a retry is answered from the stored answer, and that the credits move once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/v1/types.js';
import { signIn, type SignedIn } from '../support/app.js';
import { startBillingApp, type BillingApp } from './support/billing-app.js';

let app: BillingApp;
let admin: SignedIn;
let client: SignedIn;

beforeAll(async () => {
  app = await startBillingApp();
  const demo = await app.identity.seedDemoUsers();
  admin = await signIn(app, 'admin', demo.admin.email, demo.admin.password);
  client = await signIn(app, 'client', demo.client.email, demo.client.password);
});
afterAll(async () => {
  await app?.close();
});

const balance = async () =>
  (await app.request({ path: '/api/v1/client/credits', headers: client.headers() })).json<
    components['schemas']['CreditBalance']
  >().balance;

describe('billing requests with an Idempotency-Key', () => {
  it('when a pack checkout and a refund are each sent twice with their key, then each runs once, the retry replays its answer, and the credits move once', async () => {
    const pack = await app.request({
      method: 'POST',
      path: '/api/v1/admin/packs',
      headers: admin.headers(),
      body: { name: 'Five dinners', meals: 5, priceMinor: 4500, currency: 'gbp' },
    });
    expect(pack.status, pack.text).toBe(201);

    const checkoutKey = randomUUID();
    const checkout = () =>
      app.request({
        method: 'POST',
        path: `/api/v1/client/packs/${pack.json<components['schemas']['Pack']>().id}/checkout`,
        headers: client.headers({ 'idempotency-key': checkoutKey }),
      });
    const started = await checkout();
    expect(started.status, started.text).toBe(201);
    const again = await checkout();
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toEqual(started.json());

    const page = await app.request({
      path: new URL(started.json<components['schemas']['PackCheckout']>().checkoutUrl).pathname,
    });
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1]!;
    expect((await app.request({ method: 'POST', path: action })).status).toBe(303);
    await app.drain();
    expect(await balance()).toBe(5);

    const transactions = await app.request({
      path: '/api/v1/admin/billing/transactions',
      headers: admin.headers(),
    });
    const payment = transactions.json<components['schemas']['BillingTransactionPage']>().items[0]!;
    const refundKey = randomUUID();
    const refund = () =>
      app.request({
        method: 'POST',
        path: `/api/v1/admin/billing/transactions/${payment.id}/refund`,
        headers: admin.headers({ 'idempotency-key': refundKey }),
        body: { amountMinor: 1800, reason: 'Two dinners were missed.' },
      });
    const refunded = await refund();
    expect(refunded.status, refunded.text).toBe(202);
    const repeated = await refund();
    expect(repeated.status).toBe(202);
    type Requested = components['schemas']['RefundRequested'];
    expect(repeated.json<Requested>().refundRequestId).toBe(
      refunded.json<Requested>().refundRequestId,
    );
    await app.drain();
    expect(await balance()).toBe(3);
    const requests = await app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM billing_refund_requests WHERE transaction_id = $1',
      [payment.id],
    );
    expect(requests.rows[0]!.n).toBe(1);
  });
});
