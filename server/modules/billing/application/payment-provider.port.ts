import type { ProviderName, ReferenceKind } from '../domain/billing.entity.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

export interface CheckoutRequest {
  mode: 'payment' | 'subscription';
  referenceKind: ReferenceKind;
  referenceId: string;
  clientId: string;
  currency: string;
  lines: { description: string; quantity: number; unitAmountMinor: number }[];
  interval?: 'week' | 'month';
  successUrl: string;
  cancelUrl: string;
}

/**
 * The payment provider: Stripe, or the local stand-in. Every create call carries an idempotency
 * key derived from BK's own ids, so a retry can never charge or refund twice.
 */
export interface PaymentProvider {
  readonly name: ProviderName;
  createCheckoutSession(req: CheckoutRequest): Promise<{ id: string; url: string }>;
  /** Metadata goes to the provider with the refund (who asked, why); an over-refund is `BILLING.REFUND_NOT_ALLOWED`. */
  refund(req: {
    paymentIntent: string;
    amountMinor: number;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<{ id: string }>;
  updateSubscription(req: {
    providerSubscriptionId: string;
    change: 'cancel_at_period_end' | 'pause' | 'resume';
    idempotencyKey: string;
  }): Promise<void>;
  /** Ends a provider subscription now (one whose record BK cancelled); already ended is fine. */
  cancelSubscription(req: {
    providerSubscriptionId: string;
    idempotencyKey: string;
  }): Promise<void>;
  /** Closes an open checkout session so it can no longer be paid; one already complete or expired is left as it is. */
  expireCheckoutSession(req: { sessionId: string; idempotencyKey: string }): Promise<void>;
  /** Events the provider holds created at or after `sinceUnix`, oldest first (reconciliation). */
  listEvents(sinceUnix: number): Promise<StripeEventLike[]>;
}

export const checkoutIdempotencyKey = (kind: ReferenceKind, id: string) =>
  `bk-checkout-${kind}-${id}`;
