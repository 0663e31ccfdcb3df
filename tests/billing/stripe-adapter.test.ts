import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeProvider } from '../../server/modules/billing/index.js';
import { loadConfig } from '../../server/shared/config/config.js';
import {
  checkoutCompletedEvent,
  startFakeStripe,
  type FakeStripe,
} from '../fakes/stripe/fake-stripe.js';
import { startBillingApp, type BillingApp } from './support/billing-app.js';

let fake: FakeStripe;
let app: BillingApp;
beforeAll(async () => {
  fake = await startFakeStripe();
  app = await startBillingApp({
    provider: createStripeProvider({
      secretKey: 'sk_test_fake',
      maxNetworkRetries: 2,
      host: fake.host,
      port: fake.port,
      protocol: 'http',
    }),
  });
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

describe('the Stripe adapter against a fake Stripe', () => {
  it('when checkout.sessions.create fails once with a 500, then the SDK retries with the same Idempotency-Key derived from our id', async () => {
    const referenceId = crypto.randomUUID();
    fake.failNext('/v1/checkout/sessions', 1);
    const session = await app.billing.checkout.start({
      mode: 'payment',
      referenceKind: 'pack_purchase',
      referenceId,
      clientId: crypto.randomUUID(),
      currency: 'gbp',
      lines: [{ description: 'Ten lunches', quantity: 1, unitAmountMinor: 8900 }],
    });
    const calls = fake.seen.filter((seenRequest) => seenRequest.path === '/v1/checkout/sessions');
    expect(calls).toHaveLength(2);
    expect(calls[0]!.idempotencyKey).toBe(`bk-checkout-pack_purchase-${referenceId}`);
    expect(calls[1]!.idempotencyKey).toBe(calls[0]!.idempotencyKey);
    expect(calls[1]!.authorization).toBe('Bearer sk_test_fake');
    expect(calls[1]!.form.get('metadata[bk_reference_id]')).toBe(referenceId);
    expect(calls[1]!.form.get('payment_intent_data[metadata][bk_reference_id]')).toBe(referenceId);
    expect(calls[1]!.form.get('line_items[0][price_data][unit_amount]')).toBe('8900');
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const stored = await app.db.query<{ provider: string; amount_minor: number }>(
      'SELECT provider, amount_minor FROM billing_checkout_sessions WHERE id = $1',
      [session.id],
    );
    expect(stored.rows[0]).toEqual({ provider: 'stripe', amount_minor: 8900 });
  });

  it('when Stripe keeps failing past maxNetworkRetries, then the caller gets BILLING.PROVIDER_UNAVAILABLE', async () => {
    fake.failNext('/v1/checkout/sessions', 3);
    await expect(
      app.billing.checkout.start({
        mode: 'payment',
        referenceKind: 'pack_purchase',
        referenceId: crypto.randomUUID(),
        clientId: crypto.randomUUID(),
        currency: 'gbp',
        lines: [{ description: 'x', quantity: 1, unitAmountMinor: 100 }],
      }),
    ).rejects.toMatchObject({ code: 'BILLING.PROVIDER_UNAVAILABLE' });
  });

  it('when a refund is asked twice for the same amount, then both calls carry the same idempotency key', async () => {
    await app.billing.provider.refund({
      paymentIntent: 'pi_1',
      amountMinor: 500,
      idempotencyKey: 'bk-refund-x-500',
    });
    await app.billing.provider.refund({
      paymentIntent: 'pi_1',
      amountMinor: 500,
      idempotencyKey: 'bk-refund-x-500',
    });
    const keys = fake.seen
      .filter((seenRequest) => seenRequest.path === '/v1/refunds')
      .map((seenRequest) => seenRequest.idempotencyKey);
    expect(keys).toEqual(['bk-refund-x-500', 'bk-refund-x-500']);
  });

  it('when reconciliation runs, then it lists events from Stripe and replays only those never stored, which then credit the purchase', async () => {
    const pack = await app.packs.create({
      name: 'Five dinners',
      meals: 5,
      priceMinor: 5000,
      currency: 'gbp',
    });
    const clientId = crypto.randomUUID();
    const { purchaseId, checkoutSessionId } = await app.packs.startCheckout({
      packId: pack.id,
      clientId,
    });
    const created = Math.floor(Date.now() / 1000);
    fake.events = [
      checkoutCompletedEvent({
        id: 'evt_missed_1',
        created,
        sessionId: checkoutSessionId,
        referenceId: purchaseId,
        clientId,
        amount: 5000,
        paymentIntent: 'pi_missed_1',
      }),
    ];
    const first = await app.billing.reconcile(new Date(Date.now() - 3_600_000));
    expect(first).toEqual({ listed: 1, replayed: ['evt_missed_1'] });
    await app.drain();
    expect((await app.credits.balance(clientId)).balance).toBe(5);
    const second = await app.billing.reconcile(new Date(Date.now() - 3_600_000));
    expect(second).toEqual({ listed: 1, replayed: [] });
    const listCall = fake.seen.filter((seenRequest) => seenRequest.path === '/v1/events').at(-1)!;
    expect(Number(listCall.form.get('created[gte]'))).toBeGreaterThan(0);
  });
});

describe('Stripe configuration', () => {
  const prod = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://x/y',
    BK_SITE_ORIGINS: 'https://site.example',
    BK_CLIENT_ORIGINS: 'https://client.example',
    BK_ADMIN_ORIGINS: 'https://admin.example',
    STRIPE_WEBHOOK_SECRET: 'whsec_prod',
    STRIPE_SECRET_KEY: 'sk_live_abc',
  };
  it('when production points Stripe at another host or at http, then the config refuses to load', () => {
    expect(() => loadConfig({ ...prod, BK_STRIPE_API_HOST: '127.0.0.1' })).toThrow(
      /BK_STRIPE_API_HOST/,
    );
    expect(() => loadConfig({ ...prod, BK_STRIPE_API_PROTOCOL: 'http' })).toThrow(
      /BK_STRIPE_API_HOST/,
    );
    expect(loadConfig(prod).stripeApiHost).toBeNull();
  });
  it('when production has no webhook secret, then the config refuses to load; elsewhere a development default is used', () => {
    const { STRIPE_WEBHOOK_SECRET: _s, ...noSecret } = prod;
    expect(() => loadConfig(noSecret)).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    expect(loadConfig({ NODE_ENV: 'test' }).stripeWebhookSecret).toBe(
      'whsec_local_development_only',
    );
    expect(loadConfig({ NODE_ENV: 'test' }).stripeSecretKey).toBeNull();
  });
});
