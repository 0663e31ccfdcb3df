import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import { referenceFromMetadata, type BillingLine, type BillingReference, type ProviderName } from '../domain/billing.entity.js';
import {
  BILLING_EVENTS,
  type InvoicePaidPayload,
  type PaymentSucceededPayload,
  type RefundRecordedPayload,
  type SubscriptionCheckoutCompletedPayload,
  type SubscriptionUpdatedPayload,
} from '../domain/billing.events.js';
import { idOf, type ChargeObject, type CheckoutSessionObject, type InvoiceObject, type StripeEventLike, type SubscriptionObject } from '../domain/stripe-event.js';
import type { BillingRepository } from './billing.repository.port.js';

interface Ctx {
  tx: Tx;
  repo: BillingRepository;
  provider: ProviderName;
  event: StripeEventLike;
  now: Date;
}

const emit = (c: Ctx, type: string, payload: Record<string, unknown>) =>
  appendToOutbox(c.tx, domainEvent(type, payload, { at: c.now, correlationId: c.event.id, actor: { kind: 'system', id: 'billing' } }));

/**
 * Turns one stored provider event into neutral billing facts (ledger rows and `billing.*` events),
 * exactly once: the event row is locked and marked processed in the same transaction. Order does
 * not matter: payments are keyed by payment intent, refunds converge on the newest cumulative
 * amount, invoices are keyed by id, subscription states carry `event.created` for the newest-wins
 * rule downstream. Types BK does not use are marked ignored.
 */
export async function processProviderEvent(deps: { repo: BillingRepository; provider: ProviderName }, tx: Tx, stripeEventId: string, now: Date): Promise<string> {
  const locked = await deps.repo.lockEvent(tx, stripeEventId);
  if (!locked) return 'missing';
  if (locked.processed) return 'already processed';
  const c: Ctx = { tx, repo: deps.repo, provider: deps.provider, event: locked.event, now };
  const object = locked.event.data?.object ?? {};
  let outcome: string;
  switch (locked.event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      outcome = await onCheckoutCompleted(c, object as unknown as CheckoutSessionObject);
      break;
    case 'charge.refunded':
      outcome = await onChargeRefunded(c, object as unknown as ChargeObject);
      break;
    case 'invoice.paid':
      outcome = await onInvoicePaid(c, object as unknown as InvoiceObject);
      break;
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed':
      outcome = await onSubscriptionChanged(c, object as unknown as SubscriptionObject);
      break;
    default:
      outcome = 'ignored: type not used';
  }
  await deps.repo.markProcessed(tx, stripeEventId, outcome, now);
  return outcome;
}

async function onCheckoutCompleted(c: Ctx, s: CheckoutSessionObject): Promise<string> {
  const known = await c.repo.findCheckoutSession(c.tx, s.id);
  const fromMeta = referenceFromMetadata(s.metadata);
  const reference: BillingReference | null = known?.reference ?? fromMeta?.reference ?? null;
  const clientId = known?.clientId ?? fromMeta?.clientId ?? null;
  if (!reference) return 'ignored: not a BK checkout';
  if (known) await c.repo.completeCheckoutSession(c.tx, s.id);
  if (s.mode === 'subscription') {
    const payload: SubscriptionCheckoutCompletedPayload = { checkoutSessionId: s.id, reference, providerSubscriptionId: idOf(s.subscription), eventCreated: c.event.created };
    await emit(c, BILLING_EVENTS.subscriptionCheckoutCompleted, payload);
    return 'subscription checkout completed';
  }
  if (s.payment_status !== 'paid') return 'checkout completed, payment pending';
  const paymentIntent = idOf(s.payment_intent) ?? `checkout:${s.id}`;
  const amount = s.amount_total ?? known?.amountMinor ?? 0;
  const currency = s.currency ?? known?.currency ?? 'gbp';
  const lines: BillingLine[] = known?.lines ?? [{ description: 'Payment', quantity: 1, unitAmountMinor: amount, amountMinor: amount }];
  const { id, inserted } = await c.repo.insertTransaction(c.tx, {
    id: randomUUID(),
    kind: 'payment',
    amountMinor: amount,
    currency,
    provider: c.provider,
    providerRef: paymentIntent,
    refundsTransactionId: null,
    reference,
    clientId,
    stripeEventId: c.event.id,
    lines,
    at: c.now,
  });
  if (inserted) {
    const payload: PaymentSucceededPayload = { transactionId: id, reference, clientId, amountMinor: amount, currency, providerRef: paymentIntent };
    await emit(c, BILLING_EVENTS.paymentSucceeded, payload);
  }
  // A refund reported before this payment's own event is settled now.
  await settleRefunds(c, paymentIntent);
  return inserted ? 'payment recorded' : 'payment already recorded';
}

async function onChargeRefunded(c: Ctx, charge: ChargeObject): Promise<string> {
  const paymentIntent = idOf(charge.payment_intent);
  if (!paymentIntent) return 'ignored: charge without payment intent';
  await c.repo.raiseRefundState(c.tx, { paymentIntent, chargeId: charge.id, amountRefunded: charge.amount_refunded, currency: charge.currency, at: c.now });
  return settleRefunds(c, paymentIntent);
}

/** Writes a refund transaction for whatever the provider reports refunded beyond the ledger. */
async function settleRefunds(c: Ctx, paymentIntent: string): Promise<string> {
  const reported = await c.repo.refundState(c.tx, paymentIntent);
  if (reported === 0) return 'no refund';
  const payment = await c.repo.findTransactionByRef(c.tx, 'payment', paymentIntent);
  if (!payment) return 'refund held until the payment is known';
  const target = Math.min(reported, payment.amountMinor);
  const delta = target - payment.refundedMinor;
  if (delta <= 0) return 'refund already recorded';
  const { id, inserted } = await c.repo.insertTransaction(c.tx, {
    id: randomUUID(),
    kind: 'refund',
    amountMinor: delta,
    currency: payment.currency,
    provider: c.provider,
    providerRef: `${paymentIntent}:refunded:${target}`,
    refundsTransactionId: payment.id,
    reference: payment.reference,
    clientId: payment.clientId,
    stripeEventId: c.event.id,
    lines: [{ description: `Refund of ${payment.lines[0]?.description ?? 'payment'}`, quantity: 1, unitAmountMinor: -delta, amountMinor: -delta }],
    at: c.now,
  });
  if (!inserted) return 'refund already recorded';
  const payload: RefundRecordedPayload = {
    transactionId: id,
    paymentTransactionId: payment.id,
    reference: payment.reference,
    clientId: payment.clientId,
    amountMinor: delta,
    totalRefundedMinor: target,
    paymentAmountMinor: payment.amountMinor,
    currency: payment.currency,
  };
  await emit(c, BILLING_EVENTS.refundRecorded, payload);
  return 'refund recorded';
}

async function onInvoicePaid(c: Ctx, inv: InvoiceObject): Promise<string> {
  const details = inv.parent?.subscription_details ?? null;
  const providerSubscriptionId = idOf(details?.subscription ?? inv.subscription ?? null);
  const ref = referenceFromMetadata(details?.metadata ?? inv.subscription_details?.metadata ?? null);
  const lines: BillingLine[] = (inv.lines?.data ?? []).map((l) => ({
    description: l.description ?? 'Subscription',
    quantity: l.quantity ?? 1,
    unitAmountMinor: Math.round(l.amount / (l.quantity ?? 1)),
    amountMinor: l.amount,
  }));
  const periodEnd = inv.lines?.data?.[0]?.period?.end;
  const { id, inserted } = await c.repo.insertTransaction(c.tx, {
    id: randomUUID(),
    kind: 'invoice',
    amountMinor: inv.amount_paid,
    currency: inv.currency,
    provider: c.provider,
    providerRef: inv.id,
    refundsTransactionId: null,
    reference: ref?.reference ?? null,
    clientId: ref?.clientId ?? null,
    stripeEventId: c.event.id,
    lines: lines.length ? lines : [{ description: 'Subscription', quantity: 1, unitAmountMinor: inv.amount_paid, amountMinor: inv.amount_paid }],
    at: c.now,
  });
  if (!inserted) return 'invoice already recorded';
  const payload: InvoicePaidPayload = {
    transactionId: id,
    invoiceId: inv.id,
    providerSubscriptionId,
    reference: ref?.reference ?? null,
    amountMinor: inv.amount_paid,
    currency: inv.currency,
    periodEnd: periodEnd ? new Date(periodEnd * 1000).toISOString() : null,
  };
  await emit(c, BILLING_EVENTS.invoicePaid, payload);
  return 'invoice recorded';
}

async function onSubscriptionChanged(c: Ctx, sub: SubscriptionObject): Promise<string> {
  const ref = referenceFromMetadata(sub.metadata);
  const end = sub.items?.data?.[0]?.current_period_end ?? sub.current_period_end;
  const payload: SubscriptionUpdatedPayload = {
    providerSubscriptionId: sub.id,
    reference: ref?.reference ?? null,
    status: sub.status,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    paused: sub.pause_collection != null || sub.status === 'paused',
    currentPeriodEnd: end ? new Date(end * 1000).toISOString() : null,
    eventCreated: c.event.created,
  };
  await emit(c, BILLING_EVENTS.subscriptionUpdated, payload);
  return `subscription state ${sub.status}`;
}
