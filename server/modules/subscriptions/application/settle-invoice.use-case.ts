import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import {
  BILLING_EVENTS,
  type DisputeUpdatedPayload,
  type InvoicePaidPayload,
  type PaymentRefusalRequestedPayload,
  type RefundRecordedPayload,
} from '../../billing/index.js';
import {
  mealsHeld,
  mealsPaidFor,
  type InvoiceGrant,
  type Subscription,
} from '../domain/subscription.entity.js';
import type { SubscriptionsDeps, SubscriptionsRepos } from './subscriptions.deps.js';

type Deps = Pick<SubscriptionsDeps, 'credits'>;
type Txn = Work<SubscriptionsRepos>;

/**
 * Moves an invoice's credits to what it should hold now (grant, or reverse in proportion), one
 * ledger entry per change: the first keyed by the invoice id, the next by `<invoice>#<n>`.
 */
async function resettle(
  deps: Deps,
  work: Txn,
  invoiceGrant: InvoiceGrant,
  why: string,
  now: Date,
): Promise<void> {
  const target = mealsHeld(invoiceGrant);
  const diff = target - invoiceGrant.creditsHeld;
  const next: InvoiceGrant = { ...invoiceGrant };
  if (diff !== 0) {
    next.creditEntries += 1;
    const source = {
      clientId: invoiceGrant.clientId,
      meals: Math.abs(diff),
      sourceKind: 'subscription_invoice',
      sourceId:
        next.creditEntries === 1
          ? invoiceGrant.invoiceId
          : `${invoiceGrant.invoiceId}#${next.creditEntries}`,
    };
    if (diff > 0)
      await deps.credits.grant(
        work.tx,
        { ...source, reason: `Subscription invoice ${invoiceGrant.invoiceId} ${why}` },
        { now },
      );
    else
      await deps.credits.reverse(
        work.tx,
        { ...source, reason: `Subscription invoice ${invoiceGrant.invoiceId} ${why}` },
        { now },
      );
    next.creditsHeld = target;
  }
  await work.grants.save(next);
}

/** A paid invoice of a subscription that was cancelled before it was ever paid: recorded as buying nothing, and refused. */
async function refuse(
  work: Txn,
  subscription: Subscription,
  invoicePaidPayload: InvoicePaidPayload,
  now: Date,
): Promise<void> {
  if (
    !(await work.grants.claim(
      {
        invoiceId: invoicePaidPayload.invoiceId,
        subscriptionId: subscription.id,
        credits: 0,
        paidMinor: invoicePaidPayload.amountMinor,
      },
      now,
    ))
  )
    return;
  const payload: PaymentRefusalRequestedPayload = {
    reference: { kind: 'subscription', id: subscription.id },
    clientId: subscription.clientId,
    providerSubscriptionId:
      invoicePaidPayload.providerSubscriptionId ?? subscription.providerSubscriptionId,
    invoiceId: invoicePaidPayload.invoiceId,
    reason: 'invoice paid for a subscription the client cancelled before paying',
  };
  await work.appendEvent(
    domainEvent(BILLING_EVENTS.paymentRefusalRequested, payload, {
      at: now,
      actor: { kind: 'system', id: 'subscriptions' },
    }),
  );
}

/**
 * `invoice.paid`: the invoice buys the subscription's meals in proportion to the amount paid
 * (a zero invoice buys none), once per invoice. For a subscription cancelled before it was ever
 * paid, it buys nothing and Billing is asked to refuse the money.
 * @returns false when the payment was refused.
 */
export async function grantInvoice(
  deps: Deps,
  work: Txn,
  subscription: Subscription,
  invoicePaidPayload: InvoicePaidPayload,
  now: Date,
): Promise<boolean> {
  if (
    subscription.status === 'canceled' &&
    !(await work.subscriptions.wasActive(subscription.id))
  ) {
    await refuse(work, subscription, invoicePaidPayload, now);
    return false;
  }
  const claimed = await work.grants.claim(
    {
      invoiceId: invoicePaidPayload.invoiceId,
      subscriptionId: subscription.id,
      credits: mealsPaidFor(subscription, invoicePaidPayload.amountMinor),
      paidMinor: invoicePaidPayload.amountMinor,
    },
    now,
  );
  const grant = claimed ? await work.grants.lock(invoicePaidPayload.invoiceId) : null;
  if (grant)
    await resettle(
      deps,
      work,
      grant,
      `paid (${invoicePaidPayload.amountMinor} ${invoicePaidPayload.currency})`,
      now,
    );
  return true;
}

/**
 * A refund or dispute of an invoice's payment. The invoice's own fact comes first in the outbox;
 * should it not have been applied yet (a retry reordered them), this attempt fails and the relay
 * retries it later.
 */
export async function adjustInvoice(
  deps: Deps,
  work: Txn,
  fact:
    | { kind: 'refunded'; payload: RefundRecordedPayload }
    | { kind: 'disputed'; payload: DisputeUpdatedPayload },
  now: Date,
): Promise<void> {
  const invoiceId = fact.payload.invoiceId;
  if (!invoiceId) return;
  const grant = await work.grants.lock(invoiceId);
  if (!grant)
    throw new Error(`invoice ${invoiceId} has no grant yet; its invoice.paid fact comes first`);
  const next: InvoiceGrant = { ...grant };
  if (fact.kind === 'refunded')
    next.refundedMinor = Math.max(next.refundedMinor, fact.payload.totalRefundedMinor);
  else if (fact.payload.eventCreated >= next.disputeStateAt) {
    next.disputedMinor = fact.payload.heldMinor;
    next.disputeStateAt = fact.payload.eventCreated;
  }
  const why =
    fact.kind === 'refunded'
      ? `refunded (${next.refundedMinor} of ${next.paidMinor})`
      : `disputed (${fact.payload.status})`;
  await resettle(deps, work, next, why, now);
}
