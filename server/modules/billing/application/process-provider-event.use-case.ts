import { randomUUID } from 'node:crypto';
import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import {
  referenceFromMetadata,
  type BillingLine,
  type BillingReference,
} from '../domain/billing.entity.js';
import {
  BILLING_EVENTS,
  type InvoicePaidPayload,
  type PaymentSucceededPayload,
  type SubscriptionCheckoutCompletedPayload,
  type SubscriptionUpdatedPayload,
} from '../domain/billing.events.js';
import {
  idOf,
  type ChargeObject,
  type CheckoutSessionObject,
  type DisputeObject,
  type InvoiceObject,
  type InvoicePaymentObject,
  type SubscriptionObject,
} from '../domain/stripe-event.js';
import type { BillingDeps, BillingRepos } from './billing.deps.js';
import { emit, type ProviderEventCtx as Ctx } from './provider-event.context.js';
import { onChargeRefunded, onDispute, settleAdjustments } from './settle-adjustments.use-case.js';

/**
 * Turns one stored provider event into neutral billing facts (ledger rows and `billing.*` events),
 * exactly once: the event row is locked and marked processed in the same transaction. Order does
 * not matter: payments are keyed by payment intent, refunds converge on the newest cumulative
 * amount, disputes and subscription states on the newest `event.created`, invoices are keyed by
 * id, and what names only a payment intent (refunds, disputes) waits for the payment or the
 * invoice payment that it belongs to. Types BK does not use are marked ignored.
 */
export async function processProviderEvent(
  deps: Pick<BillingDeps, 'provider'>,
  work: Work<BillingRepos>,
  stripeEventId: string,
  now: Date,
): Promise<string> {
  const locked = await work.events.lock(stripeEventId);
  if (!locked) return 'missing';
  if (locked.processed) return 'already processed';
  const providerEventCtx: Ctx = { work, provider: deps.provider.name, event: locked.event, now };
  const object = locked.event.data?.object ?? {};
  let outcome: string;
  switch (locked.event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      outcome = await onCheckoutCompleted(
        providerEventCtx,
        object as unknown as CheckoutSessionObject,
      );
      break;
    case 'charge.refunded':
      outcome = await onChargeRefunded(providerEventCtx, object as unknown as ChargeObject);
      break;
    case 'invoice.paid':
      outcome = await onInvoicePaid(providerEventCtx, object as unknown as InvoiceObject);
      break;
    case 'invoice_payment.paid':
      outcome = await onInvoicePaymentPaid(
        providerEventCtx,
        object as unknown as InvoicePaymentObject,
      );
      break;
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.closed':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated':
      outcome = await onDispute(providerEventCtx, object as unknown as DisputeObject);
      break;
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed':
      outcome = await onSubscriptionChanged(
        providerEventCtx,
        object as unknown as SubscriptionObject,
      );
      break;
    default:
      outcome = 'ignored: type not used';
  }
  await work.events.markProcessed(stripeEventId, outcome, now);
  return outcome;
}

async function onCheckoutCompleted(
  providerEventCtx: Ctx,
  checkoutSessionObject: CheckoutSessionObject,
): Promise<string> {
  const known = await providerEventCtx.work.sessions.find(checkoutSessionObject.id);
  const fromMeta = referenceFromMetadata(checkoutSessionObject.metadata);
  const reference: BillingReference | null = known?.reference ?? fromMeta?.reference ?? null;
  const clientId = known?.clientId ?? fromMeta?.clientId ?? null;
  if (!reference) return 'ignored: not a BK checkout';
  if (known) await providerEventCtx.work.sessions.complete(checkoutSessionObject.id);
  if (checkoutSessionObject.mode === 'subscription') {
    const payload: SubscriptionCheckoutCompletedPayload = {
      checkoutSessionId: checkoutSessionObject.id,
      reference,
      providerSubscriptionId: idOf(checkoutSessionObject.subscription),
      eventCreated: providerEventCtx.event.created,
    };
    await emit(providerEventCtx, BILLING_EVENTS.subscriptionCheckoutCompleted, payload);
    return 'subscription checkout completed';
  }
  if (checkoutSessionObject.payment_status !== 'paid') return 'checkout completed, payment pending';
  const paymentIntent =
    idOf(checkoutSessionObject.payment_intent) ?? `checkout:${checkoutSessionObject.id}`;
  const amount = checkoutSessionObject.amount_total ?? known?.amountMinor ?? 0;
  const currency = checkoutSessionObject.currency ?? known?.currency ?? 'gbp';
  const lines: BillingLine[] = known?.lines ?? [
    { description: 'Payment', quantity: 1, unitAmountMinor: amount, amountMinor: amount },
  ];
  const { id, inserted } = await providerEventCtx.work.transactions.insert({
    id: randomUUID(),
    kind: 'payment',
    amountMinor: amount,
    currency,
    provider: providerEventCtx.provider,
    providerRef: paymentIntent,
    refundsTransactionId: null,
    reference,
    clientId,
    stripeEventId: providerEventCtx.event.id,
    lines,
    at: providerEventCtx.now,
  });
  if (inserted) {
    const payload: PaymentSucceededPayload = {
      transactionId: id,
      reference,
      clientId,
      amountMinor: amount,
      currency,
      providerRef: paymentIntent,
    };
    await emit(providerEventCtx, BILLING_EVENTS.paymentSucceeded, payload);
  }
  // Refunds and disputes reported before this payment's own event are settled now.
  await settleAdjustments(providerEventCtx, paymentIntent);
  return inserted ? 'payment recorded' : 'payment already recorded';
}

async function onInvoicePaid(providerEventCtx: Ctx, inv: InvoiceObject): Promise<string> {
  const details = inv.parent?.subscription_details ?? null;
  const providerSubscriptionId = idOf(details?.subscription ?? inv.subscription ?? null);
  const ref = referenceFromMetadata(
    details?.metadata ?? inv.subscription_details?.metadata ?? null,
  );
  const lines: BillingLine[] = (inv.lines?.data ?? []).map((line) => ({
    description: line.description ?? 'Subscription',
    quantity: line.quantity ?? 1,
    unitAmountMinor: Math.round(line.amount / (line.quantity ?? 1)),
    amountMinor: line.amount,
  }));
  const periodEnd = inv.lines?.data?.[0]?.period?.end;
  const { id, inserted } = await providerEventCtx.work.transactions.insert({
    id: randomUUID(),
    kind: 'invoice',
    amountMinor: inv.amount_paid,
    currency: inv.currency,
    provider: providerEventCtx.provider,
    providerRef: inv.id,
    refundsTransactionId: null,
    reference: ref?.reference ?? null,
    clientId: ref?.clientId ?? null,
    stripeEventId: providerEventCtx.event.id,
    lines: lines.length
      ? lines
      : [
          {
            description: 'Subscription',
            quantity: 1,
            unitAmountMinor: inv.amount_paid,
            amountMinor: inv.amount_paid,
          },
        ],
    at: providerEventCtx.now,
  });
  if (!inserted) return 'invoice already recorded';
  for (const part of inv.payments?.data ?? []) {
    const pi = idOf(part.payment?.payment_intent ?? null);
    if (pi)
      await providerEventCtx.work.intents.recordInvoicePayment({
        paymentIntent: pi,
        invoiceId: inv.id,
        amountPaid: part.amount_paid ?? inv.amount_paid,
        currency: inv.currency,
        at: providerEventCtx.now,
      });
  }
  const payload: InvoicePaidPayload = {
    transactionId: id,
    invoiceId: inv.id,
    providerSubscriptionId,
    reference: ref?.reference ?? null,
    amountMinor: inv.amount_paid,
    currency: inv.currency,
    periodEnd: periodEnd ? new Date(periodEnd * 1000).toISOString() : null,
  };
  await emit(providerEventCtx, BILLING_EVENTS.invoicePaid, payload);
  // Refunds and disputes of this invoice's payments that came first are settled now, after the fact above.
  for (const part of await providerEventCtx.work.intents.invoicePayments(inv.id))
    await settleAdjustments(providerEventCtx, part.paymentIntent);
  return 'invoice recorded';
}

/** Which payment intent paid an invoice: what refunds and disputes of it will name. */
async function onInvoicePaymentPaid(
  providerEventCtx: Ctx,
  invoicePaymentObject: InvoicePaymentObject,
): Promise<string> {
  const paymentIntent = idOf(invoicePaymentObject.payment?.payment_intent ?? null);
  const invoiceId = idOf(invoicePaymentObject.invoice);
  if (!paymentIntent || !invoiceId) return 'ignored: not paid by a payment intent';
  await providerEventCtx.work.intents.recordInvoicePayment({
    paymentIntent,
    invoiceId,
    amountPaid: invoicePaymentObject.amount_paid ?? 0,
    currency: invoicePaymentObject.currency,
    at: providerEventCtx.now,
  });
  await settleAdjustments(providerEventCtx, paymentIntent);
  return 'invoice payment recorded';
}

async function onSubscriptionChanged(
  providerEventCtx: Ctx,
  sub: SubscriptionObject,
): Promise<string> {
  const ref = referenceFromMetadata(sub.metadata);
  const end = sub.items?.data?.[0]?.current_period_end ?? sub.current_period_end;
  const payload: SubscriptionUpdatedPayload = {
    providerSubscriptionId: sub.id,
    reference: ref?.reference ?? null,
    status: sub.status,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    paused: sub.pause_collection != null || sub.status === 'paused',
    currentPeriodEnd: end ? new Date(end * 1000).toISOString() : null,
    eventCreated: providerEventCtx.event.created,
  };
  await emit(providerEventCtx, BILLING_EVENTS.subscriptionUpdated, payload);
  return `subscription state ${sub.status}`;
}
