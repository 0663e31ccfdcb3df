import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStripeProvider } from '../../server/modules/billing/index.js';
import { signIn, type SignedIn } from '../support/app.js';
import {
  checkoutCompletedEvent,
  startFakeStripe,
  type FakeStripe,
} from '../fakes/stripe/fake-stripe.js';
import {
  invoicePaid,
  invoicePaymentPaid,
  subscriptionCheckoutCompleted,
} from '../fakes/stripe/events.js';
import { postWebhook, sign, startBillingApp, type BillingApp } from './support/billing-app.js';

let fake: FakeStripe;
let app: BillingApp;
let admin: SignedIn;
let adminId: string;
beforeAll(async () => {
  fake = await startFakeStripe();
  app = await startBillingApp({
    provider: createStripeProvider({
      secretKey: 'sk_test_fake',
      maxNetworkRetries: 0,
      host: fake.host,
      port: fake.port,
      protocol: 'http',
    }),
  });
  const demo = await app.identity.seedDemoUsers();
  admin = await signIn(app, 'admin', demo.admin.email, demo.admin.password);
  adminId = admin.body.user.id;
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

async function deliver(event: object): Promise<void> {
  const payload = JSON.stringify(event, null, 2);
  // Raw: the Stripe signature covers these exact bytes.
  const res = await postWebhook(app, payload, sign(payload));
  expect(res.status, res.text).toBe(200);
}

const outbox = async (type: string) =>
  (
    await app.db.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM outbox WHERE type = $1 ORDER BY position',
      [type],
    )
  ).rows.map((row) => row.payload);

async function incompleteSubscription() {
  const plan = await app.subs.createPlan({
    name: `Weekday lunches ${crypto.randomUUID().slice(0, 6)}`,
    interval: 'week',
    mealsPerInterval: 5,
    priceMinor: 4500,
    currency: 'gbp',
  });
  const clientId = crypto.randomUUID();
  const started = await app.subs.subscribe({ planId: plan.id, clientId });
  return {
    clientId,
    subscriptionId: started.subscription.id,
    sessionId: started.checkoutSessionId,
  };
}

/** Every consumer handled every event the first time: nothing waits for a retry or was dead-lettered. */
afterEach(async () => {
  const failed = await app.db.query<{ consumer: string; last_error: string }>(
    "SELECT consumer, last_error FROM event_deliveries WHERE status <> 'processed' OR last_error IS NOT NULL",
  );
  expect(failed.rows).toEqual([]);
});

describe('a subscription cancelled before it was paid (Stripe)', () => {
  it('when the client cancels an incomplete subscription, then its checkout session is expired at Stripe', async () => {
    const { clientId, subscriptionId, sessionId } = await incompleteSubscription();
    const cancelled = await app.subs.change({ subscriptionId, clientId, change: 'cancel' });
    expect(cancelled.status).toBe('canceled');
    const expired = fake.seen.filter(
      (seenRequest) =>
        seenRequest.method === 'POST' &&
        seenRequest.path === `/v1/checkout/sessions/${sessionId}/expire`,
    );
    expect(expired).toHaveLength(1);
    const row = await app.db.query<{ status: string }>(
      'SELECT status FROM billing_checkout_sessions WHERE id = $1',
      [sessionId],
    );
    expect(row.rows[0]!.status).toBe('expired');
  });

  it('when its payment still arrives, then nothing is granted, Stripe cancels the subscription and refunds the invoice, and staff are alerted', async () => {
    const { clientId, subscriptionId, sessionId } = await incompleteSubscription();
    await app.subs.change({ subscriptionId, clientId, change: 'cancel' });
    const sub = `sub_late_${subscriptionId.slice(0, 8)}`;
    const invoice = `in_late_${subscriptionId.slice(0, 8)}`;
    const pi = `pi_late_${subscriptionId.slice(0, 8)}`;
    await deliver(
      subscriptionCheckoutCompleted({
        sessionId,
        subscriptionId,
        clientId,
        providerSubscriptionId: sub,
        amount: 4500,
      }),
    );
    await deliver(
      invoicePaid({
        invoiceId: invoice,
        subscriptionId,
        clientId,
        providerSubscriptionId: sub,
        amountPaid: 4500,
      }),
    );
    await deliver(invoicePaymentPaid({ invoiceId: invoice, paymentIntent: pi, amountPaid: 4500 }));
    await app.drain();

    expect((await app.credits.balance(clientId)).balance).toBe(0);
    expect((await app.subs.list(clientId))[0]).toMatchObject({
      id: subscriptionId,
      status: 'canceled',
    });
    expect(
      fake.seen.filter(
        (seenRequest) =>
          seenRequest.method === 'DELETE' && seenRequest.path === `/v1/subscriptions/${sub}`,
      ).length,
    ).toBeGreaterThanOrEqual(1);
    const refunds = fake.seen.filter(
      (seenRequest) =>
        seenRequest.path === '/v1/refunds' && seenRequest.form.get('payment_intent') === pi,
    );
    expect(new Set(refunds.map((refund) => refund.idempotencyKey)).size).toBe(1);
    expect(refunds[0]!.form.get('amount')).toBe('4500');
    const alerts = (await outbox('billing.staff_alert')).filter((first) =>
      JSON.stringify(first).includes(subscriptionId),
    );
    expect(alerts.map((alert) => alert['kind'])).toContain('payment_refused');
  });
});

describe('refunds through Stripe', () => {
  it('when an admin asks twice for the same partial amount, then Stripe gets two refunds (each keyed by its own request) carrying the reason and who asked', async () => {
    const pack = await app.packs.create({
      name: 'Ten lunches',
      meals: 10,
      priceMinor: 8900,
      currency: 'gbp',
    });
    const clientId = crypto.randomUUID();
    const { purchaseId, checkoutSessionId } = await app.packs.startCheckout({
      packId: pack.id,
      clientId,
    });
    const pi = `pi_twice_${purchaseId.slice(0, 8)}`;
    await deliver(
      checkoutCompletedEvent({
        id: `evt_twice_${purchaseId.slice(0, 8)}`,
        created: Math.floor(Date.now() / 1000),
        sessionId: checkoutSessionId,
        referenceId: purchaseId,
        clientId,
        amount: 8900,
        paymentIntent: pi,
      }),
    );
    await app.drain();
    const payment = (
      await app.db.query<{ id: string }>(
        "SELECT id FROM billing_transactions WHERE kind = 'payment' AND provider_ref = $1",
        [pi],
      )
    ).rows[0]!;
    const ask = () =>
      admin.api.POST('/api/v1/admin/billing/transactions/{transactionId}/refund', {
        params: { path: { transactionId: payment.id } },
        body: { amountMinor: 1000, reason: 'One meal arrived cold.' },
      });
    const first = await ask();
    const second = await ask();
    expect(first.response.status, JSON.stringify(first.error)).toBe(202);
    expect(second.response.status, JSON.stringify(second.error)).toBe(202);
    expect(first.data).toMatchObject({
      amountMinor: 1000,
      reason: 'One meal arrived cold.',
      requestedBy: adminId,
    });
    expect(second.data!.refundRequestId).not.toBe(first.data!.refundRequestId);
    const calls = fake.seen.filter(
      (seenRequest) =>
        seenRequest.path === '/v1/refunds' && seenRequest.form.get('payment_intent') === pi,
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]!.idempotencyKey).not.toBe(calls[1]!.idempotencyKey);
    expect(calls.map((call) => call.idempotencyKey)).toEqual([
      `bk-refund-${first.data!.refundRequestId}`,
      `bk-refund-${second.data!.refundRequestId}`,
    ]);
    expect(calls[0]!.form.get('metadata[bk_requested_by]')).toBe(adminId);
    expect(calls[0]!.form.get('metadata[bk_reason]')).toBe('One meal arrived cold.');
    expect(new Set(calls.map((call) => call.form.get('amount')))).toEqual(new Set(['1000']));
  });
});
