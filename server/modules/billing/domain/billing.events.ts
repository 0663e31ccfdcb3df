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

/**
 * The provider confirmed more of a payment (a pack's, or a subscription invoice's: `invoiceId`)
 * refunded; `amountMinor` is the new part only.
 */
export type RefundRecordedPayload = {
  transactionId: string;
  paymentTransactionId: string;
  invoiceId: string | null;
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

/**
 * A dispute's newest state for a known payment: `heldMinor` is what it holds back now (the
 * disputed amount while open or once lost, 0 once won). Consumers apply it newest-wins by
 * `eventCreated`.
 */
export type DisputeUpdatedPayload = {
  disputeId: string;
  paymentTransactionId: string;
  invoiceId: string | null;
  reference: BillingReference | null;
  clientId: string | null;
  status: string;
  heldMinor: number;
  paymentAmountMinor: number;
  currency: string;
  eventCreated: number;
};

/** Something staff must know or do about money (a dispute, a payment refused for a cancelled record). */
export type StaffAlertPayload = {
  kind: 'dispute_opened' | 'dispute_closed' | 'payment_refused';
  summary: string;
  /** The provider's id of what it is about (dispute, subscription or invoice). */
  providerRef: string;
  reference: BillingReference | null;
  clientId: string | null;
  amountMinor: number | null;
  currency: string | null;
};

/**
 * Sent by the module that owns a cancelled record when money still arrived for it: Billing cancels
 * the provider subscription, refunds the invoice, and alerts staff. Nothing is granted for it.
 */
export type PaymentRefusalRequestedPayload = {
  reference: BillingReference;
  clientId: string | null;
  providerSubscriptionId: string | null;
  invoiceId: string | null;
  reason: string;
};

export const BILLING_EVENTS = {
  stripeEventReceived: 'billing.stripe_event_received',
  paymentSucceeded: 'billing.payment_succeeded',
  refundRecorded: 'billing.refund_recorded',
  invoicePaid: 'billing.invoice_paid',
  subscriptionCheckoutCompleted: 'billing.subscription_checkout_completed',
  subscriptionUpdated: 'billing.subscription_updated',
  disputeUpdated: 'billing.dispute_updated',
  staffAlert: 'billing.staff_alert',
  paymentRefusalRequested: 'billing.payment_refusal_requested',
} as const;
