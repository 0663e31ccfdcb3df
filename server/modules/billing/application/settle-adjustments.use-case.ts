import { randomUUID } from 'node:crypto';
import type { BillingTransaction } from '../domain/billing.entity.js';
import {
  BILLING_EVENTS,
  type DisputeUpdatedPayload,
  type RefundRecordedPayload,
  type StaffAlertPayload,
} from '../domain/billing.events.js';
import {
  DISPUTE_CLOSED,
  DISPUTE_RELEASED,
  idOf,
  type ChargeObject,
  type DisputeObject,
} from '../domain/stripe-event.js';
import type { DisputeRow } from './payment-intent.repository.port.js';
import { emit, type ProviderEventCtx } from './provider-event.context.js';

type Paid = { transaction: BillingTransaction; invoiceId: string | null };

/**
 * What the provider reported against a payment intent (its cumulative refund, its disputes), once
 * the payment or paid invoice it belongs to is known: called by the refund and dispute events
 * themselves and again when the payment arrives after them.
 */
export async function settleAdjustments(c: ProviderEventCtx, paymentIntent: string): Promise<void> {
  const paid = await c.work.transactions.findPaidBy(paymentIntent);
  if (!paid) return;
  await settleRefunds(c, paymentIntent, paid);
  for (const d of await c.work.intents.disputesOf(paymentIntent)) await emitDispute(c, d, paid);
}

export async function onChargeRefunded(c: ProviderEventCtx, charge: ChargeObject): Promise<string> {
  const paymentIntent = idOf(charge.payment_intent);
  if (!paymentIntent) return 'ignored: charge without payment intent';
  await c.work.intents.raiseRefunded({
    paymentIntent,
    chargeId: charge.id,
    amountRefunded: charge.amount_refunded,
    currency: charge.currency,
    at: c.now,
  });
  const paid = await c.work.transactions.findPaidBy(paymentIntent);
  if (!paid) return 'refund held until the payment is known';
  return settleRefunds(c, paymentIntent, paid);
}

/** Writes a refund transaction for whatever the provider reports refunded beyond the ledger. */
async function settleRefunds(
  c: ProviderEventCtx,
  paymentIntent: string,
  paid: Paid,
): Promise<string> {
  const reported = await c.work.intents.refunded(paymentIntent);
  if (reported === 0) return 'no refund';
  const payment = paid.transaction;
  const target = Math.min(reported, payment.amountMinor);
  const delta = target - payment.refundedMinor;
  if (delta <= 0) return 'refund already recorded';
  const { id, inserted } = await c.work.transactions.insert({
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
    lines: [
      {
        description: `Refund of ${payment.lines[0]?.description ?? 'payment'}`,
        quantity: 1,
        unitAmountMinor: -delta,
        amountMinor: -delta,
      },
    ],
    at: c.now,
  });
  if (!inserted) return 'refund already recorded';
  const payload: RefundRecordedPayload = {
    transactionId: id,
    paymentTransactionId: payment.id,
    invoiceId: paid.invoiceId,
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

async function emitDispute(c: ProviderEventCtx, d: DisputeRow, paid: Paid): Promise<void> {
  const payment = paid.transaction;
  const payload: DisputeUpdatedPayload = {
    disputeId: d.id,
    paymentTransactionId: payment.id,
    invoiceId: paid.invoiceId,
    reference: payment.reference,
    clientId: payment.clientId,
    status: d.status,
    heldMinor: DISPUTE_RELEASED.includes(d.status)
      ? 0
      : Math.min(d.amountMinor, payment.amountMinor),
    paymentAmountMinor: payment.amountMinor,
    currency: payment.currency,
    eventCreated: d.stateAt,
  };
  await emit(c, BILLING_EVENTS.disputeUpdated, payload);
}

/**
 * `charge.dispute.*`: the dispute's newest state is stored (events may come in any order); staff
 * hear when one opens and when it closes; once the payment is known, the payment's owner is told
 * how much the dispute holds back now (all of it while open or lost, nothing once won).
 */
export async function onDispute(c: ProviderEventCtx, d: DisputeObject): Promise<string> {
  const paymentIntent = idOf(d.payment_intent);
  if (!paymentIntent) return 'ignored: dispute without payment intent';
  const row: DisputeRow = {
    id: d.id,
    paymentIntent,
    chargeId: idOf(d.charge) ?? '',
    amountMinor: d.amount,
    currency: d.currency,
    status: d.status,
    reason: d.reason ?? null,
    stateAt: c.event.created,
  };
  const { applied, previousStatus } = await c.work.intents.saveDispute(row, c.now);
  if (!applied) return 'dispute state already newer';
  const paid = await c.work.transactions.findPaidBy(paymentIntent);
  const closed = DISPUTE_CLOSED.includes(d.status);
  if (previousStatus === null || (closed && !DISPUTE_CLOSED.includes(previousStatus))) {
    const money = `${d.amount} ${d.currency}`;
    const alert: StaffAlertPayload = {
      kind: closed ? 'dispute_closed' : 'dispute_opened',
      summary: closed
        ? `Dispute ${d.id} on ${paymentIntent} closed as ${d.status}: ${DISPUTE_RELEASED.includes(d.status) ? 'the held credits are given back' : `the credits for ${money} stay reversed`}.`
        : `Dispute ${d.id} opened on ${paymentIntent} for ${money} (${d.reason ?? 'no reason given'}): the credits it paid for are held; answer it at the provider.`,
      providerRef: d.id,
      reference: paid?.transaction.reference ?? null,
      clientId: paid?.transaction.clientId ?? null,
      amountMinor: d.amount,
      currency: d.currency,
    };
    await emit(c, BILLING_EVENTS.staffAlert, alert);
  }
  if (paid) await emitDispute(c, row, paid);
  return `dispute ${d.status}${paid ? '' : ' (held until the payment is known)'}`;
}
