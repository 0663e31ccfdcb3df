import Stripe from 'stripe';
import { META } from '../domain/billing.entity.js';
import { ProviderUnavailable, RefundNotAllowed } from '../domain/billing.errors.js';
import {
  checkoutIdempotencyKey,
  type PaymentProvider,
} from '../application/payment-provider.port.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

export interface StripeProviderOptions {
  secretKey: string;
  maxNetworkRetries: number;
  /** Tests point the SDK at a fake Stripe; production config refuses anything but api.stripe.com. */
  host?: string | null;
  port?: number | null;
  protocol?: 'https' | 'http';
  timeoutMs?: number;
}

/** The SDK client with BK's settings: explicit retries, a timeout, no telemetry. */
export function createStripeClient(stripeProviderOptions: StripeProviderOptions): Stripe {
  return new Stripe(stripeProviderOptions.secretKey, {
    maxNetworkRetries: stripeProviderOptions.maxNetworkRetries,
    timeout: stripeProviderOptions.timeoutMs ?? 20_000,
    telemetry: false,
    ...(stripeProviderOptions.host ? { host: stripeProviderOptions.host } : {}),
    ...(stripeProviderOptions.port ? { port: stripeProviderOptions.port } : {}),
    ...(stripeProviderOptions.protocol ? { protocol: stripeProviderOptions.protocol } : {}),
    appInfo: { name: 'balance-kitchen' },
  });
}

/** A provider error that a retry could fix is a 503 to our caller; a request error stays a 500. */
function wrap(err: unknown): never {
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError
  )
    throw new ProviderUnavailable(err);
  throw err;
}

type StripeClient = ReturnType<typeof createStripeClient>;
type CheckoutRequest = Parameters<PaymentProvider['createCheckoutSession']>[0];
type SubscriptionChange = Parameters<PaymentProvider['updateSubscription']>[0]['change'];

/** A Checkout Session for BK's reference, keyed by it so a retry returns the same session. */
async function createCheckout(
  stripe: StripeClient,
  req: CheckoutRequest,
): Promise<{ id: string; url: string }> {
  const metadata = {
    [META.referenceKind]: req.referenceKind,
    [META.referenceId]: req.referenceId,
    [META.clientId]: req.clientId,
  };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: req.mode,
    client_reference_id: req.referenceId,
    success_url: req.successUrl,
    cancel_url: req.cancelUrl,
    metadata,
    line_items: req.lines.map((line) => ({
      quantity: line.quantity,
      price_data: {
        currency: req.currency,
        unit_amount: line.unitAmountMinor,
        product_data: { name: line.description },
        ...(req.mode === 'subscription' && req.interval
          ? { recurring: { interval: req.interval } }
          : {}),
      },
    })),
    ...(req.mode === 'payment'
      ? { payment_intent_data: { metadata } }
      : { subscription_data: { metadata } }),
  };
  try {
    const response = await stripe.checkout.sessions.create(params, {
      idempotencyKey: checkoutIdempotencyKey(req.referenceKind, req.referenceId),
    });
    if (!response.url)
      throw new Error(`Stripe returned checkout session ${response.id} without a url`);
    return { id: response.id, url: response.url };
  } catch (err) {
    return wrap(err);
  }
}

/** What Stripe is asked to change on a subscription. */
function subscriptionUpdate(change: SubscriptionChange): Stripe.SubscriptionUpdateParams {
  return change === 'cancel_at_period_end'
    ? { cancel_at_period_end: true }
    : change === 'pause'
      ? { pause_collection: { behavior: 'void' } }
      : { pause_collection: '' };
}

export function createStripeProvider(
  stripeProviderOptions: StripeProviderOptions,
): PaymentProvider {
  const stripe = createStripeClient(stripeProviderOptions);
  return {
    name: 'stripe',
    createCheckoutSession: (req) => createCheckout(stripe, req),
    async refund(req) {
      try {
        const response = await stripe.refunds.create(
          {
            payment_intent: req.paymentIntent,
            amount: req.amountMinor,
            ...(req.metadata ? { metadata: req.metadata } : {}),
          },
          { idempotencyKey: req.idempotencyKey },
        );
        return { id: response.id };
      } catch (err) {
        // Stripe refuses what cannot be refunded (more than is left, a disputed charge): a conflict, not a crash.
        if (err instanceof Stripe.errors.StripeInvalidRequestError)
          throw new RefundNotAllowed(`Stripe refused the refund: ${err.message}`);
        return wrap(err);
      }
    },
    async cancelSubscription(req) {
      try {
        await stripe.subscriptions.cancel(
          req.providerSubscriptionId,
          {},
          { idempotencyKey: req.idempotencyKey },
        );
      } catch (err) {
        // Already canceled (or gone): the outcome asked for.
        if (err instanceof Stripe.errors.StripeInvalidRequestError) return;
        wrap(err);
      }
    },
    async expireCheckoutSession(req) {
      try {
        await stripe.checkout.sessions.expire(
          req.sessionId,
          {},
          { idempotencyKey: req.idempotencyKey },
        );
      } catch (err) {
        // Complete or already expired: nothing to close. A payment that completed meanwhile is refused when its events arrive.
        if (err instanceof Stripe.errors.StripeInvalidRequestError) return;
        wrap(err);
      }
    },
    async updateSubscription(req) {
      const params = subscriptionUpdate(req.change);
      try {
        await stripe.subscriptions.update(req.providerSubscriptionId, params, {
          idempotencyKey: req.idempotencyKey,
        });
      } catch (err) {
        wrap(err);
      }
    },
    async listEvents(sinceUnix) {
      const out: StripeEventLike[] = [];
      try {
        for await (const entry of stripe.events.list({ created: { gte: sinceUnix }, limit: 100 }))
          out.push(entry as unknown as StripeEventLike);
      } catch (err) {
        wrap(err);
      }
      // The API lists newest first; replay oldest first.
      return out.sort((left, right) => left.created - right.created);
    },
  };
}
