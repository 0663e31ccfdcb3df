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
export async function settleAdjustments(
  providerEventCtx: ProviderEventCtx,
  paymentIntent: string,
): Promise<void> {
  const paid = await providerEventCtx.work.transactions.findPaidBy(paymentIntent);
  if (!paid) return;
  await settleRefunds(providerEventCtx, paymentIntent, paid);
  for (const disputeRow of await providerEventCtx.work.intents.disputesOf(paymentIntent))
    await emitDispute(providerEventCtx, disputeRow, paid);
}

export async function onChargeRefunded(
  providerEventCtx: ProviderEventCtx,
  charge: ChargeObject,
): Promise<string> {
  const paymentIntent = idOf(charge.payment_intent);
  if (!paymentIntent) return 'ignored: charge without payment intent';
  await providerEventCtx.work.intents.raiseRefunded({
    paymentIntent,
    chargeId: charge.id,
    amountRefunded: charge.amount_refunded,
    currency: charge.currency,
    at: providerEventCtx.now,
  });
  const paid = await providerEventCtx.work.transactions.findPaidBy(paymentIntent);
  if (!paid) return 'refund held until the payment is known';
  return settleRefunds(providerEventCtx, paymentIntent, paid);
}

/** Writes a refund transaction for whatever the provider reports refunded beyond the ledger. */
async function settleRefunds(
  providerEventCtx: ProviderEventCtx,
  paymentIntent: string,
  paid: Paid,
): Promise<string> {
  const reported = await providerEventCtx.work.intents.refunded(paymentIntent);
  if (reported === 0) return 'no refund';
  const payment = paid.transaction;
  const target = Math.min(reported, payment.amountMinor);
  const delta = target - payment.refundedMinor;
  if (delta <= 0) return 'refund already recorded';
  const { id, inserted } = await providerEventCtx.work.transactions.insert({
    id: randomUUID(),
    kind: 'refund',
    amountMinor: delta,
    currency: payment.currency,
    provider: providerEventCtx.provider,
    providerRef: `${paymentIntent}:refunded:${target}`,
    refundsTransactionId: payment.id,
    reference: payment.reference,
    clientId: payment.clientId,
    stripeEventId: providerEventCtx.event.id,
    lines: [
      {
        description: `Refund of ${payment.lines[0]?.description ?? 'payment'}`,
        quantity: 1,
        unitAmountMinor: -delta,
        amountMinor: -delta,
      },
    ],
    at: providerEventCtx.now,
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
  await emit(providerEventCtx, BILLING_EVENTS.refundRecorded, payload);
  return 'refund recorded';
}

async function emitDispute(
  providerEventCtx: ProviderEventCtx,
  disputeRow: DisputeRow,
  paid: Paid,
): Promise<void> {
  const payment = paid.transaction;
  const payload: DisputeUpdatedPayload = {
    disputeId: disputeRow.id,
    paymentTransactionId: payment.id,
    invoiceId: paid.invoiceId,
    reference: payment.reference,
    clientId: payment.clientId,
    status: disputeRow.status,
    heldMinor: DISPUTE_RELEASED.includes(disputeRow.status)
      ? 0
      : Math.min(disputeRow.amountMinor, payment.amountMinor),
    paymentAmountMinor: payment.amountMinor,
    currency: payment.currency,
    eventCreated: disputeRow.stateAt,
  };
  await emit(providerEventCtx, BILLING_EVENTS.disputeUpdated, payload);
}

/**
 * `charge.dispute.*`: the dispute's newest state is stored (events may come in any order); staff
 * hear when one opens and when it closes; once the payment is known, the payment's owner is told
 * how much the dispute holds back now (all of it while open or lost, nothing once won).
 */
export async function onDispute(
  providerEventCtx: ProviderEventCtx,
  disputeObject: DisputeObject,
): Promise<string> {
  const paymentIntent = idOf(disputeObject.payment_intent);
  if (!paymentIntent) return 'ignored: dispute without payment intent';
  const row: DisputeRow = {
    id: disputeObject.id,
    paymentIntent,
    chargeId: idOf(disputeObject.charge) ?? '',
    amountMinor: disputeObject.amount,
    currency: disputeObject.currency,
    status: disputeObject.status,
    reason: disputeObject.reason ?? null,
    stateAt: providerEventCtx.event.created,
  };
  const { applied, previousStatus } = await providerEventCtx.work.intents.saveDispute(
    row,
    providerEventCtx.now,
  );
  if (!applied) return 'dispute state already newer';
  const paid = await providerEventCtx.work.transactions.findPaidBy(paymentIntent);
  const closed = DISPUTE_CLOSED.includes(disputeObject.status);
  if (previousStatus === null || (closed && !DISPUTE_CLOSED.includes(previousStatus))) {
    const money = `${disputeObject.amount} ${disputeObject.currency}`;
    const alert: StaffAlertPayload = {
      kind: closed ? 'dispute_closed' : 'dispute_opened',
      summary: closed
        ? `Dispute ${disputeObject.id} on ${paymentIntent} closed as ${disputeObject.status}: ${DISPUTE_RELEASED.includes(disputeObject.status) ? 'the held credits are given back' : `the credits for ${money} stay reversed`}.`
        : `Dispute ${disputeObject.id} opened on ${paymentIntent} for ${money} (${disputeObject.reason ?? 'no reason given'}): the credits it paid for are held; answer it at the provider.`,
      providerRef: disputeObject.id,
      reference: paid?.transaction.reference ?? null,
      clientId: paid?.transaction.clientId ?? null,
      amountMinor: disputeObject.amount,
      currency: disputeObject.currency,
    };
    await emit(providerEventCtx, BILLING_EVENTS.staffAlert, alert);
  }
  if (paid) await emitDispute(providerEventCtx, row, paid);
  return `dispute ${disputeObject.status}${paid ? '' : ' (held until the payment is known)'}`;
}
