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
  p: PaymentRefusalRequestedPayload,
  meta: { now: Date; eventId: string },
): Promise<void> {
  const done: string[] = [];
  if (p.providerSubscriptionId) {
    await deps.provider.cancelSubscription({
      providerSubscriptionId: p.providerSubscriptionId,
      idempotencyKey: `bk-refuse-${p.providerSubscriptionId}`,
    });
    done.push(`cancelled subscription ${p.providerSubscriptionId} at the provider`);
  }
  let amount: number | null = null;
  let currency: string | null = null;
  if (p.invoiceId) {
    const invoice = await work.transactions.findByRef('invoice', p.invoiceId);
    const [payment] = await work.intents.invoicePayments(p.invoiceId);
    if (!payment)
      throw new Error(`invoice ${p.invoiceId}: the payment intent that paid it is not known yet`);
    amount = invoice?.amountMinor ?? payment.amountPaid;
    currency = invoice?.currency ?? null;
    if (amount > 0) {
      await deps.provider.refund({
        paymentIntent: payment.paymentIntent,
        amountMinor: amount,
        idempotencyKey: `bk-refuse-${p.invoiceId}`,
        metadata: { bk_refused: p.reason },
      });
      done.push(`refunded invoice ${p.invoiceId} (${amount}${currency ? ` ${currency}` : ''})`);
    }
  }
  const alert: StaffAlertPayload = {
    kind: 'payment_refused',
    summary: `Money arrived for ${p.reference.kind} ${p.reference.id} after it was cancelled (${p.reason}): ${done.length ? done.join('; ') : 'nothing to undo at the provider'}. No credits were granted.`,
    providerRef: p.invoiceId ?? p.providerSubscriptionId ?? p.reference.id,
    reference: p.reference,
    clientId: p.clientId,
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
