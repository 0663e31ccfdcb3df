import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/v1/types.js';
import { ORIGINS, signIn, type SignedIn } from '../support/app.js';
import {
  postWebhook,
  sign,
  startBillingApp,
  stripeEvent,
  type BillingApp,
} from './support/billing-app.js';

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

async function createPack(body: components['schemas']['CreatePackRequest']) {
  const res = await admin.api.POST('/api/v1/admin/packs', { body });
  expect(res.response.status, JSON.stringify(res.error)).toBe(201);
  return res.data!;
}

async function buyThroughLocalCheckout(packId: string) {
  const started = await client.api.POST('/api/v1/client/packs/{packId}/checkout', {
    params: { path: { packId } },
  });
  expect(started.response.status, JSON.stringify(started.error)).toBe(201);
  const { purchaseId, checkoutSessionId, checkoutUrl } = started.data!;
  // Raw: the local checkout page and its form are HTML outside the API contract.
  const page = await app.request({ path: new URL(checkoutUrl).pathname });
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1]!;
  const paid = await app.request({ method: 'POST', path: action }); // Raw: the HTML form's post.
  expect(paid.status).toBe(303);
  expect(paid.headers.location).toBe(
    `${ORIGINS.client}/#/billing/success?session=${checkoutSessionId}`,
  );
  await app.drain();
  return { purchaseId: purchaseId as string, checkoutSessionId: checkoutSessionId as string };
}

describe('a client buys a pack through the local checkout', () => {
  let packId: string;
  let purchaseId: string;
  let transactionId: string;

  it('when an admin creates a pack, then the public catalogue lists it', async () => {
    packId = (
      await createPack({ name: 'Ten lunches', meals: 10, priceMinor: 8900, currency: 'gbp' })
    ).id;
    const cat = await app.api().GET('/api/v1/site/catalogue');
    expect(cat.response.status).toBe(200);
    expect(cat.data!.packs.map((pack) => pack.id)).toContain(packId);
  });

  it('when the client pays on the checkout page, then the signed webhook credits 10 meals', async () => {
    expect(await balance()).toBe(0);
    ({ purchaseId } = await buyThroughLocalCheckout(packId));
    expect(await balance()).toBe(10);
    const purchases = (await client.api.GET('/api/v1/client/packs/purchases')).data!.items;
    expect(purchases[0]).toMatchObject({ id: purchaseId, status: 'paid', creditsGranted: 10 });
    const tx = (await admin.api.GET('/api/v1/admin/billing/transactions')).data!.items;
    expect(tx[0]).toMatchObject({
      kind: 'payment',
      amountMinor: 8900,
      currency: 'gbp',
      provider: 'local',
      reference: { kind: 'pack_purchase', id: purchaseId },
      lines: [
        { description: 'Ten lunches', quantity: 1, unitAmountMinor: 8900, amountMinor: 8900 },
      ],
    });
    transactionId = tx[0]!.id;
    const history = (await client.api.GET('/api/v1/client/credits/history')).data!;
    expect(history.items[0]).toMatchObject({
      kind: 'grant',
      delta: 10,
      balanceAfter: 10,
      sourceKind: 'pack_purchase',
    });
  });

  it('when the same webhook is delivered again (the page paid twice, Stripe retrying), then nothing changes', async () => {
    const session = (
      await app.db.query<{ payload: object }>(
        "SELECT payload FROM billing_local_events WHERE payload->>'type' = 'checkout.session.completed' ORDER BY created_unix DESC LIMIT 1",
      )
    ).rows[0]!.payload;
    const payload = JSON.stringify(session, null, 2);
    // Raw: the Stripe signature covers these exact bytes.
    const res = await postWebhook(app, payload, sign(payload));
    expect(res.json()).toEqual({ received: true, duplicate: true });
    // Raw: the local checkout page and its form are HTML outside the API contract.
    const page = await app.request({
      path: `/dev/checkout/${(session as { data: { object: { id: string } } }).data.object.id}`,
    });
    await app.request({ method: 'POST', path: /action="([^"]+)"/.exec(page.text)![1]! }); // Raw: the form.
    await app.drain();
    expect(await balance()).toBe(10);
    expect(
      Number(
        (
          await app.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM billing_transactions WHERE kind = 'payment'",
          )
        ).rows[0]!.n,
      ),
    ).toBe(1);
  });

  it('when an admin refunds half, then half the meals are reversed; the rest reverses the rest', async () => {
    const half = await admin.api.POST('/api/v1/admin/billing/transactions/{transactionId}/refund', {
      params: { path: { transactionId } },
      body: { amountMinor: 4450, reason: 'Half the deliveries were missed.' },
    });
    expect(half.response.status, JSON.stringify(half.error)).toBe(202);
    await app.drain();
    expect(await balance()).toBe(5);
    const rest = await admin.api.POST('/api/v1/admin/billing/transactions/{transactionId}/refund', {
      params: { path: { transactionId } },
      body: { reason: 'Customer left.' },
    });
    expect(rest.response.status, JSON.stringify(rest.error)).toBe(202);
    expect(rest.data!.amountMinor).toBe(4450);
    await app.drain();
    expect(await balance()).toBe(0);
    const purchases = (await client.api.GET('/api/v1/client/packs/purchases')).data!.items;
    expect(purchases[0]).toMatchObject({
      id: purchaseId,
      status: 'refunded',
      refundedMinor: 8900,
      creditsGranted: 0,
    });
    const more = await admin.api.POST('/api/v1/admin/billing/transactions/{transactionId}/refund', {
      params: { path: { transactionId } },
      body: { reason: 'Once more.' },
    });
    expect(more.response.status).toBe(409);
    expect(more.error?.code).toBe('BILLING.REFUND_NOT_ALLOWED');
  });

  it('when a pack is retired, then it leaves the catalogue and cannot be bought', async () => {
    const part = await createPack({
      name: 'Old pack',
      meals: 3,
      priceMinor: 2700,
      currency: 'gbp',
    });
    expect(
      (
        await admin.api.POST('/api/v1/admin/packs/{packId}/retire', {
          params: { path: { packId: part.id } },
        })
      ).data!.status,
    ).toBe('retired');
    expect(
      (await app.api().GET('/api/v1/site/catalogue')).data!.packs.map((pack) => pack.id),
    ).not.toContain(part.id);
    const buy = await client.api.POST('/api/v1/client/packs/{packId}/checkout', {
      params: { path: { packId: part.id } },
    });
    expect(buy.error?.code).toBe('PACKS.RETIRED');
  });

  it('when a client calls an admin catalogue operation, then it is refused', async () => {
    const res = await app
      .api({ ...client.headers(), origin: ORIGINS.admin })
      .POST('/api/v1/admin/packs', {
        body: { name: 'x', meals: 1, priceMinor: 100, currency: 'gbp' },
      });
    expect(res.response.status).toBe(401);
  });
});

describe('out-of-order provider events', () => {
  async function pendingPurchase(meals: number, price: number) {
    const pack = await createPack({
      name: `Pack ${meals}`,
      meals,
      priceMinor: price,
      currency: 'gbp',
    });
    return (
      await client.api.POST('/api/v1/client/packs/{packId}/checkout', {
        params: { path: { packId: pack.id } },
      })
    ).data!;
  }
  const deliver = async (entry: object) => {
    const payload = JSON.stringify(entry);
    // Raw: the Stripe signature covers these exact bytes.
    expect((await postWebhook(app, payload, sign(payload))).status).toBe(200);
  };

  it('when refunds arrive before the payment and in reverse order, then the ledger and credits converge on the newest state', async () => {
    const start = await balance();
    const { purchaseId, checkoutSessionId } = await pendingPurchase(10, 10000);
    const pi = `pi_ooo_${purchaseId.slice(0, 8)}`;
    const charge = (refunded: number) => ({
      id: `ch_ooo_${purchaseId.slice(0, 8)}`,
      object: 'charge',
      amount: 10000,
      amount_refunded: refunded,
      currency: 'gbp',
      payment_intent: pi,
    });
    const time = Math.floor(Date.now() / 1000);
    await deliver(stripeEvent('charge.refunded', charge(6000), time + 2));
    await deliver(stripeEvent('charge.refunded', charge(3000), time + 1));
    await app.drain();
    expect(await balance()).toBe(start);
    await deliver(
      stripeEvent(
        'checkout.session.completed',
        {
          id: checkoutSessionId,
          object: 'checkout.session',
          mode: 'payment',
          payment_status: 'paid',
          amount_total: 10000,
          currency: 'gbp',
          payment_intent: pi,
          client_reference_id: purchaseId,
          metadata: {},
        },
        time,
      ),
    );
    await app.drain();
    // 60 % refunded: 4 of 10 meals kept.
    expect(await balance()).toBe(start + 4);
    const refunds = await app.db.query<{ amount_minor: number }>(
      "SELECT amount_minor FROM billing_transactions WHERE kind = 'refund' AND provider_ref LIKE $1",
      [`${pi}:%`],
    );
    expect(refunds.rows.map((row) => row.amount_minor)).toEqual([6000]);
  });
});

describe('subscriptions', () => {
  let planId: string;
  let subscriptionId: string;

  it('when a client subscribes and pays, then it becomes active and the first invoice grants the meals once', async () => {
    const plan = await admin.api.POST('/api/v1/admin/plans', {
      body: {
        name: 'Weekday lunches',
        interval: 'week',
        mealsPerInterval: 5,
        priceMinor: 4500,
        currency: 'gbp',
      },
    });
    expect(plan.response.status, JSON.stringify(plan.error)).toBe(201);
    planId = plan.data!.id;
    const before = await balance();
    const started = await client.api.POST('/api/v1/client/subscriptions', { body: { planId } });
    expect(started.response.status, JSON.stringify(started.error)).toBe(201);
    subscriptionId = started.data!.subscription.id;
    expect(started.data!.subscription.status).toBe('incomplete');
    const again = await client.api.POST('/api/v1/client/subscriptions', { body: { planId } });
    expect(again.error?.code).toBe('SUBSCRIPTIONS.ALREADY_SUBSCRIBED');
    // Raw: the local checkout's pay form is outside the API contract.
    await app.request({
      method: 'POST',
      path: `${new URL(started.data!.checkoutUrl).pathname}/pay`,
    });
    await app.drain();
    const subs = (await client.api.GET('/api/v1/client/subscriptions')).data!.items;
    expect(subs[0]).toMatchObject({
      id: subscriptionId,
      status: 'active',
      cancelAtPeriodEnd: false,
    });
    // The first invoice (and the provider's state) start the period: the card says when the next starts.
    expect(subs[0]!.currentPeriodEnd).toEqual(expect.any(String));
    expect(await balance()).toBe(before + 5);
    // The same invoice in another event (e.g. replayed by reconciliation under a new id): no second grant.
    const inv = (
      await app.db.query<{ payload: { data: { object: Record<string, unknown> } } }>(
        "SELECT payload FROM billing_local_events WHERE payload->>'type' = 'invoice.paid'",
      )
    ).rows[0]!.payload;
    const payload = JSON.stringify(stripeEvent('invoice.paid', inv.data.object));
    // Raw: the Stripe signature covers these exact bytes.
    await postWebhook(app, payload, sign(payload));
    await app.drain();
    expect(await balance()).toBe(before + 5);
  });

  it('when the client pauses, resumes and cancels, then each change is audited with who, when and why', async () => {
    const pause = await client.api.POST('/api/v1/client/subscriptions/{subscriptionId}/pause', {
      params: { path: { subscriptionId } },
      body: { reason: 'Away on holiday.' },
    });
    expect(pause.response.status, JSON.stringify(pause.error)).toBe(200);
    expect(pause.data!.status).toBe('paused');
    const pauseAgain = await client.api.POST(
      '/api/v1/client/subscriptions/{subscriptionId}/pause',
      { params: { path: { subscriptionId } } },
    );
    expect(pauseAgain.error?.code).toBe('SUBSCRIPTIONS.INVALID_TRANSITION');
    expect(
      (
        await client.api.POST('/api/v1/client/subscriptions/{subscriptionId}/resume', {
          params: { path: { subscriptionId } },
        })
      ).data!.status,
    ).toBe('active');
    const cancel = await client.api.POST('/api/v1/client/subscriptions/{subscriptionId}/cancel', {
      params: { path: { subscriptionId } },
      body: { reason: 'Moving away.' },
    });
    expect(cancel.data).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    const trail = await app.subs.transitions(subscriptionId);
    expect(
      trail.map((subscriptionTransition) => [
        subscriptionTransition.from,
        subscriptionTransition.to,
        subscriptionTransition.cancelAtPeriodEnd,
      ]),
    ).toEqual([
      [null, 'incomplete', false],
      ['incomplete', 'active', false],
      ['active', 'paused', false],
      ['paused', 'active', false],
      ['active', 'active', true],
    ]);
    expect(trail[2]).toMatchObject({
      changedBy: `user:${clientId}`,
      reason: 'paused by the client: Away on holiday.',
    });
    expect(trail[1]!.changedBy).toMatch(/^provider:evt_local_/);
  });

  it('when provider states arrive out of order, then the newest wins and a stale one is ignored', async () => {
    const sub = (
      await app.db.query<{ provider_subscription_id: string; provider_state_at: number }>(
        'SELECT provider_subscription_id, provider_state_at FROM subscriptions WHERE id = $1',
        [subscriptionId],
      )
    ).rows[0]!;
    const state = (status: string) => ({
      id: sub.provider_subscription_id,
      object: 'subscription',
      status,
      cancel_at_period_end: true,
      pause_collection: null,
      metadata: {
        bk_reference_kind: 'subscription',
        bk_reference_id: subscriptionId,
        bk_client_id: clientId,
      },
    });
    const time = Number(sub.provider_state_at) + 100;
    for (const entry of [
      stripeEvent('customer.subscription.updated', state('past_due'), time + 10),
      stripeEvent('customer.subscription.updated', state('active'), time + 5),
    ]) {
      const payload = JSON.stringify(entry);
      // Raw: the Stripe signature covers these exact bytes.
      await postWebhook(app, payload, sign(payload));
    }
    await app.drain();
    const subs = (await client.api.GET('/api/v1/client/subscriptions')).data!.items;
    expect(subs.find((sub) => sub.id === subscriptionId)!.status).toBe('past_due');
  });
});
