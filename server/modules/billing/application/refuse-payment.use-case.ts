import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import {
  BILLING_EVENTS,
  type PaymentRefusalRequestedPayload,
  type StaffAlertPayload,
} from '../domain/billing.events.js';
import type { BillingDeps, BillingRepos } from './billing.deps.js';

/**
 * Money arrived for a record its owner had cancelled: the provider subscription is cancelled, the
 * invoice refunded in full, and staff told what was done. Runs in the relay's transaction; the
 * provider calls are keyed by the subscription and invoice ids, so a retry repeats nothing. An
 * invoice whose payment intent is not known yet (its `invoice_payment.paid` still on its way)
 * fails this attempt: the relay retries with backoff and, if it never comes, dead-letters the
 * request where staff see it.
 */
export async function refusePayment(
  deps: Pick<BillingDeps, 'provider'>,
  work: Work<BillingRepos>,
  paymentRefusalRequestedPayload: PaymentRefusalRequestedPayload,
  meta: { now: Date; eventId: string },
): Promise<void> {
  const done: string[] = [];
  if (paymentRefusalRequestedPayload.providerSubscriptionId) {
    await deps.provider.cancelSubscription({
      providerSubscriptionId: paymentRefusalRequestedPayload.providerSubscriptionId,
      idempotencyKey: `bk-refuse-${paymentRefusalRequestedPayload.providerSubscriptionId}`,
    });
    done.push(
      `cancelled subscription ${paymentRefusalRequestedPayload.providerSubscriptionId} at the provider`,
    );
  }
  let amount: number | null = null;
  let currency: string | null = null;
  if (paymentRefusalRequestedPayload.invoiceId) {
    const invoice = await work.transactions.findByRef(
      'invoice',
      paymentRefusalRequestedPayload.invoiceId,
    );
    const [payment] = await work.intents.invoicePayments(paymentRefusalRequestedPayload.invoiceId);
    if (!payment)
      throw new Error(
        `invoice ${paymentRefusalRequestedPayload.invoiceId}: the payment intent that paid it is not known yet`,
      );
    amount = invoice?.amountMinor ?? payment.amountPaid;
    currency = invoice?.currency ?? null;
    if (amount > 0) {
      await deps.provider.refund({
        paymentIntent: payment.paymentIntent,
        amountMinor: amount,
        idempotencyKey: `bk-refuse-${paymentRefusalRequestedPayload.invoiceId}`,
        metadata: { bk_refused: paymentRefusalRequestedPayload.reason },
      });
      done.push(
        `refunded invoice ${paymentRefusalRequestedPayload.invoiceId} (${amount}${currency ? ` ${currency}` : ''})`,
      );
    }
  }
  const alert: StaffAlertPayload = {
    kind: 'payment_refused',
    summary: `Money arrived for ${paymentRefusalRequestedPayload.reference.kind} ${paymentRefusalRequestedPayload.reference.id} after it was cancelled (${paymentRefusalRequestedPayload.reason}): ${done.length ? done.join('; ') : 'nothing to undo at the provider'}. No credits were granted.`,
    providerRef:
      paymentRefusalRequestedPayload.invoiceId ??
      paymentRefusalRequestedPayload.providerSubscriptionId ??
      paymentRefusalRequestedPayload.reference.id,
    reference: paymentRefusalRequestedPayload.reference,
    clientId: paymentRefusalRequestedPayload.clientId,
    amountMinor: amount,
    currency,
  };
  await work.appendEvent(
    domainEvent(BILLING_EVENTS.staffAlert, alert, {
      at: meta.now,
      correlationId: meta.eventId,
      actor: { kind: 'system', id: 'billing' },
    }),
  );
}
