import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type SignedIn } from '../support/app.js';
import {
  chargeDispute,
  chargeRefunded,
  invoicePaid,
  invoicePaymentPaid,
} from '../fakes/stripe/events.js';
import { postWebhook, sign, startBillingApp, type BillingApp } from './support/billing-app.js';

let app: BillingApp;
let admin: SignedIn;
let client: SignedIn;
let clientId: string;

beforeAll(async () => {
  app = await startBillingApp();
  const demo = await app.identity.seedDemoUsers();
  admin = await signIn(app, 'admin', demo.admin.email, demo.admin.password);
  client = await signIn(app, 'client', demo.client.email, demo.client.password);
  clientId = client.body.user.id;
});
afterAll(async () => {
  await app?.close();
});

const balance = async () =>
  (await client.api.GET('/api/v1/client/credits')).data!.balance as number;
const outbox = async (type: string) =>
  (
    await app.db.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM outbox WHERE type = $1 ORDER BY position',
      [type],
    )
  ).rows.map((row) => row.payload);

async function deliver(event: object): Promise<void> {
  const payload = JSON.stringify(event, null, 2);
  // Raw: the Stripe signature covers these exact bytes.
  const res = await postWebhook(app, payload, sign(payload));
  expect(res.status, res.text).toBe(200);
}

/** A pack bought and paid on the local checkout page: its payment intent, charge and ledger row. */
async function paidPack(meals: number, priceMinor: number) {
  const pack = (
    await admin.api.POST('/api/v1/admin/packs', {
      body: { name: `Pack of ${meals}`, meals, priceMinor, currency: 'gbp' },
    })
  ).data!;
  const started = (
    await client.api.POST('/api/v1/client/packs/{packId}/checkout', {
      params: { path: { packId: pack.id } },
    })
  ).data!;
  // Raw: the local checkout's pay form is outside the API contract.
  expect(
    (await app.request({ method: 'POST', path: `${new URL(started.checkoutUrl).pathname}/pay` }))
      .status,
  ).toBe(303);
  await app.drain();
  const row = (
    await app.db.query<{ id: string; provider_ref: string }>(
      "SELECT id, provider_ref FROM billing_transactions WHERE kind = 'payment' AND reference_id = $1",
      [started.purchaseId],
    )
  ).rows[0]!;
  const charge = (
    await app.db.query<{ charge_id: string }>(
      'SELECT charge_id FROM billing_local_payments WHERE payment_intent = $1',
      [row.provider_ref],
    )
  ).rows[0]!.charge_id;
  return { transactionId: row.id, pi: row.provider_ref, charge };
}

/** A plan (5 meals a week for 45.00) the client subscribes to, paid on the local checkout page. */
async function activeSubscription() {
  const plan = (
    await admin.api.POST('/api/v1/admin/plans', {
      body: {
        name: `Lunches ${crypto.randomUUID().slice(0, 6)}`,
        interval: 'week',
        mealsPerInterval: 5,
        priceMinor: 4500,
        currency: 'gbp',
      },
    })
  ).data!;
  const started = (
    await client.api.POST('/api/v1/client/subscriptions', { body: { planId: plan.id } })
  ).data!;
  // Raw: the local checkout's pay form is outside the API contract.
  await app.request({ method: 'POST', path: `${new URL(started.checkoutUrl).pathname}/pay` });
  await app.drain();
  const subscriptionId = started.subscription.id as string;
  const sub = (
    await app.db.query<{ provider_subscription_id: string }>(
      'SELECT provider_subscription_id FROM subscriptions WHERE id = $1',
      [subscriptionId],
    )
  ).rows[0]!;
  const invoice = (
    await app.db.query<{ invoice_id: string }>(
      'SELECT invoice_id FROM subscription_invoice_grants WHERE subscription_id = $1',
      [subscriptionId],
    )
  ).rows[0]!.invoice_id;
  return { subscriptionId, providerSubscriptionId: sub.provider_subscription_id, invoice };
}

/** Every consumer handled every event the first time: nothing waits for a retry or was dead-lettered. */
afterEach(async () => {
  const failed = await app.db.query<{ consumer: string; last_error: string }>(
    "SELECT consumer, last_error FROM event_deliveries WHERE status <> 'processed' OR last_error IS NOT NULL",
  );
  expect(failed.rows).toEqual([]);
});

describe('cancelling a subscription that was never paid', () => {
  it('when the client cancels it, then its checkout session expires: the local checkout refuses to take the payment and grants nothing', async () => {
    const plan = (
      await admin.api.POST('/api/v1/admin/plans', {
        body: {
          name: 'Cancelled early',
          interval: 'week',
          mealsPerInterval: 5,
          priceMinor: 4500,
          currency: 'gbp',
        },
      })
    ).data!;
    const started = (
      await client.api.POST('/api/v1/client/subscriptions', { body: { planId: plan.id } })
    ).data!;
    const before = await balance();
    const cancel = await client.api.POST('/api/v1/client/subscriptions/{subscriptionId}/cancel', {
      params: { path: { subscriptionId: started.subscription.id } },
    });
    expect(cancel.data).toMatchObject({ status: 'canceled' });
    // Raw: the local checkout page and its pay form are outside the API contract.
    const page = await app.request({ path: new URL(started.checkoutUrl).pathname });
    expect(page.text).toMatch(/data-testid="status">expired</);
    const pay = await app.request({
      method: 'POST',
      path: `${new URL(started.checkoutUrl).pathname}/pay`,
    });
    expect(pay.status).toBe(410);
    await app.drain();
    expect(await balance()).toBe(before);
    const subs = (await client.api.GET('/api/v1/client/subscriptions')).data!.items;
    expect(subs.find((sub) => sub.id === started.subscription.id)!.status).toBe('canceled');
  });
});

describe('refunded subscription invoices', () => {
  it('when an invoice is refunded in part and then in full, then its credits are taken back in proportion, then entirely', async () => {
    const { invoice } = await activeSubscription();
    const pi = `pi_inv_${invoice.slice(-8)}`;
    const start = await balance();
    await deliver(invoicePaymentPaid({ invoiceId: invoice, paymentIntent: pi, amountPaid: 4500 }));
    await deliver(
      chargeRefunded({
        chargeId: `ch_inv_${invoice.slice(-8)}`,
        paymentIntent: pi,
        amount: 4500,
        amountRefunded: 2250,
      }),
    );
    await app.drain();
    // Half the money back: 2 of the 5 meals kept (rounded down).
    expect(await balance()).toBe(start - 3);
    await deliver(
      chargeRefunded({
        chargeId: `ch_inv_${invoice.slice(-8)}`,
        paymentIntent: pi,
        amount: 4500,
        amountRefunded: 4500,
      }),
    );
    await app.drain();
    expect(await balance()).toBe(start - 5);
  });
});

describe('invoice.paid grants what was paid', () => {
  it('when an invoice pays half the price, then half the meals (rounded down) are granted; a zero invoice grants none; a full one all', async () => {
    const { subscriptionId, providerSubscriptionId } = await activeSubscription();
    const start = await balance();
    const pay = (count: number, amountPaid: number) =>
      deliver(
        invoicePaid({
          invoiceId: `in_part_${subscriptionId.slice(0, 8)}_${count}`,
          subscriptionId,
          clientId,
          providerSubscriptionId,
          amountPaid,
        }),
      );
    await pay(1, 2250);
    await app.drain();
    expect(await balance()).toBe(start + 2);
    await pay(2, 0);
    await app.drain();
    expect(await balance()).toBe(start + 2);
    await pay(3, 4500);
    await app.drain();
    expect(await balance()).toBe(start + 7);
  });
});

describe('disputes (chargebacks)', () => {
  it('when a charge is disputed, then its credits are held and staff alerted; when the dispute is won, they come back', async () => {
    const start = await balance();
    const { pi, charge } = await paidPack(10, 10000);
    expect(await balance()).toBe(start + 10);
    const dispute = {
      disputeId: `dp_won_${pi.slice(-8)}`,
      chargeId: charge,
      paymentIntent: pi,
      amount: 10000,
    };
    const time = Math.floor(Date.now() / 1000);
    await deliver(
      chargeDispute('charge.dispute.created', {
        ...dispute,
        status: 'needs_response',
        created: time,
      }),
    );
    await app.drain();
    expect(await balance()).toBe(start);
    const opened = (await outbox('billing.staff_alert')).filter(
      (first) => first['providerRef'] === dispute.disputeId,
    );
    expect(opened.map((first) => first['kind'])).toEqual(['dispute_opened']);
    await deliver(
      chargeDispute('charge.dispute.closed', { ...dispute, status: 'won', created: time + 5 }),
    );
    await app.drain();
    expect(await balance()).toBe(start + 10);
    const closed = (await outbox('billing.staff_alert')).filter(
      (first) => first['providerRef'] === dispute.disputeId,
    );
    expect(closed.map((first) => first['kind'])).toEqual(['dispute_opened', 'dispute_closed']);
  });

  it('when a dispute over part of a charge is lost, then that part of the credits stays reversed', async () => {
    const start = await balance();
    const { pi, charge } = await paidPack(10, 10000);
    const dispute = {
      disputeId: `dp_lost_${pi.slice(-8)}`,
      chargeId: charge,
      paymentIntent: pi,
      amount: 5000,
    };
    const time = Math.floor(Date.now() / 1000);
    await deliver(
      chargeDispute('charge.dispute.created', {
        ...dispute,
        status: 'needs_response',
        created: time,
      }),
    );
    await deliver(
      chargeDispute('charge.dispute.closed', { ...dispute, status: 'lost', created: time + 5 }),
    );
    await app.drain();
    expect(await balance()).toBe(start + 5);
  });

  it('when the closing event arrives before the opening one, then the newest state wins and the credits stay', async () => {
    const start = await balance();
    const { pi, charge } = await paidPack(4, 4000);
    const dispute = {
      disputeId: `dp_ooo_${pi.slice(-8)}`,
      chargeId: charge,
      paymentIntent: pi,
      amount: 4000,
    };
    const time = Math.floor(Date.now() / 1000);
    await deliver(
      chargeDispute('charge.dispute.closed', { ...dispute, status: 'won', created: time + 5 }),
    );
    await deliver(
      chargeDispute('charge.dispute.created', {
        ...dispute,
        status: 'needs_response',
        created: time,
      }),
    );
    await app.drain();
    expect(await balance()).toBe(start + 4);
  });
});

describe('refund requests', () => {
  it('when an admin asks for two equal partial refunds at once, then both are refunded and both reverse credits; each records its reason and who asked', async () => {
    const start = await balance();
    const { transactionId } = await paidPack(10, 8900);
    const ask = (reason: string) =>
      admin.api.POST('/api/v1/admin/billing/transactions/{transactionId}/refund', {
        params: { path: { transactionId } },
        body: { amountMinor: 2225, reason },
      });
    const first = await ask('First missed delivery.');
    const second = await ask('Second missed delivery.');
    expect(first.response.status, JSON.stringify(first.error)).toBe(202);
    expect(second.response.status, JSON.stringify(second.error)).toBe(202);
    expect(first.data).toMatchObject({
      reason: 'First missed delivery.',
      requestedBy: admin.body.user.id,
    });
    expect(second.data).toMatchObject({
      reason: 'Second missed delivery.',
      requestedBy: admin.body.user.id,
    });
    expect(second.data!.providerRefundId).not.toBe(first.data!.providerRefundId);
    await app.drain();
    // 4450 of 8900 back: 5 of 10 meals kept.
    expect(await balance()).toBe(start + 5);
    const list = (await admin.api.GET('/api/v1/admin/billing/transactions')).data!.items;
    expect(list.find((item) => item.id === transactionId)!.refundedMinor).toBe(4450);
  });
});
