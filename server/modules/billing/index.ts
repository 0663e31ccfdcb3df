/**
 * Billing: the only module that speaks to Stripe. Checkout sessions for Packs and Subscriptions,
 * the signature-verified webhook (stored once, processed through the outbox), the immutable money
 * ledger, refunds, reconciliation, and the local provider that stands in for Stripe offline.
 * @example
 * const billing = createBillingModule({ db, clock, log, config });
 * relay.register(...billing.consumers);
 * const handlers = { ...billing.http, ...otherHandlers };
 * const handler = billing.devCheckout ? (req, res) => billing.devCheckout(req, res) || guard(req, res) : guard;
 */
export {
  createBillingModule,
  type BillingModule,
  type BillingCheckout,
  type BillingModuleDeps,
} from './billing.module.js';
export type { DevCheckoutHandler } from './transport/dev-checkout.http.js';
export type { StartCheckout } from './application/start-checkout.use-case.js';
export type { ReconcileReport } from './application/reconcile-events.use-case.js';
export type { BillingReference, BillingTransaction } from './domain/billing.entity.js';
export {
  BILLING_EVENTS,
  type DisputeUpdatedPayload,
  type PaymentRefusalRequestedPayload,
  type PaymentSucceededPayload,
  type RefundRecordedPayload,
  type StaffAlertPayload,
  type InvoicePaidPayload,
  type SubscriptionCheckoutCompletedPayload,
  type SubscriptionUpdatedPayload,
} from './domain/billing.events.js';
export type { PaymentProvider } from './application/payment-provider.port.js';
export { createStripeProvider } from './infrastructure/stripe.provider.js';
