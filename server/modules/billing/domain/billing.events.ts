import type { BillingReference } from './billing.entity.js';

/** A verified provider event was stored; the billing consumer turns it into the facts below. */
export type StripeEventReceivedPayload = { stripeEventId: string; type: string };

/** Money arrived for a one-off payment (a pack). Emitted once per payment. */
export type PaymentSucceededPayload = {
  transactionId: string;
  reference: BillingReference;
  clientId: string | null;
  amountMinor: number;
  currency: string;
  providerRef: string;
};

/** The provider confirmed more of a payment refunded; `amountMinor` is the new part only. */
export type RefundRecordedPayload = {
  transactionId: string;
  paymentTransactionId: string;
  reference: BillingReference | null;
  clientId: string | null;
  amountMinor: number;
  totalRefundedMinor: number;
  paymentAmountMinor: number;
  currency: string;
};

/** A subscription invoice was paid. Emitted once per invoice. */
export type InvoicePaidPayload = {
  transactionId: string;
  invoiceId: string;
  providerSubscriptionId: string | null;
  reference: BillingReference | null;
  amountMinor: number;
  currency: string;
  periodEnd: string | null;
};

/** A subscription checkout completed: links BK's subscription to the provider's. */
export type SubscriptionCheckoutCompletedPayload = {
  checkoutSessionId: string;
  reference: BillingReference;
  providerSubscriptionId: string | null;
  eventCreated: number;
};

/** The provider's subscription object as of `eventCreated` (newest wins). */
export type SubscriptionUpdatedPayload = {
  providerSubscriptionId: string;
  reference: BillingReference | null;
  status: string;
  cancelAtPeriodEnd: boolean;
  paused: boolean;
  currentPeriodEnd: string | null;
  eventCreated: number;
};

export const BILLING_EVENTS = {
  stripeEventReceived: 'billing.stripe_event_received',
  paymentSucceeded: 'billing.payment_succeeded',
  refundRecorded: 'billing.refund_recorded',
  invoicePaid: 'billing.invoice_paid',
  subscriptionCheckoutCompleted: 'billing.subscription_checkout_completed',
  subscriptionUpdated: 'billing.subscription_updated',
} as const;
