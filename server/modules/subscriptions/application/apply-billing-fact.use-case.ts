import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import {
  BILLING_EVENTS,
  type DisputeUpdatedPayload,
  type InvoicePaidPayload,
  type PaymentRefusalRequestedPayload,
  type RefundRecordedPayload,
  type SubscriptionCheckoutCompletedPayload,
  type SubscriptionUpdatedPayload,
} from '../../billing/index.js';
import type { Subscription } from '../domain/subscription.entity.js';
import { fromProviderStatus } from '../domain/subscription-status.js';
import { saveWithAudit } from './record-transition.js';
import { adjustInvoice, grantInvoice } from './settle-invoice.use-case.js';
import type { SubscriptionsDeps, SubscriptionsRepos } from './subscriptions.deps.js';

export type BillingFact =
  | { kind: 'checkout_completed'; eventId: string; payload: SubscriptionCheckoutCompletedPayload }
  | { kind: 'invoice_paid'; eventId: string; payload: InvoicePaidPayload }
  | { kind: 'provider_state'; eventId: string; payload: SubscriptionUpdatedPayload }
  | { kind: 'refunded'; eventId: string; payload: RefundRecordedPayload }
  | { kind: 'disputed'; eventId: string; payload: DisputeUpdatedPayload };

async function find(
  work: Work<SubscriptionsRepos>,
  reference: { kind: string; id: string } | null,
  providerId: string | null,
): Promise<Subscription | null> {
  if (reference?.kind === 'subscription') return work.subscriptions.lock(reference.id);
  return providerId ? work.subscriptions.lockByProviderId(providerId) : null;
}

const later = (left: string | null, right: string | null) =>
  left === null ? right : right === null ? left : left > right ? left : right;

/**
 * Billing's facts about a subscription, inside the relay's transaction (`work` joins it). Provider states apply only
 * when newer than the last applied (`event.created`), so a late `customer.subscription.updated`
 * never moves the state back; `canceled` is final. Each invoice grants its meals once
 * (`subscription_invoice_grants` and the credits ledger both key on the invoice id), in proportion
 * to what was paid; its refunds and disputes take them back in proportion. Money that arrives for
 * a subscription cancelled before it was ever paid grants nothing and is refused (Billing cancels
 * and refunds it at the provider and alerts staff).
 */
export async function applyBillingFact(
  deps: SubscriptionsDeps,
  work: Work<SubscriptionsRepos>,
  fact: BillingFact,
  now: Date,
): Promise<void> {
  if (fact.kind === 'refunded' || fact.kind === 'disputed')
    return adjustInvoice(deps, work, fact, now);
  if (fact.kind === 'checkout_completed') return applyCheckoutCompleted(work, fact, now);
  if (fact.kind === 'invoice_paid') return applyInvoicePaid(deps, work, fact, now);
  return applySubscriptionUpdated(work, fact, now);
}

type FactOf<Kind extends BillingFact['kind']> = Extract<BillingFact, { kind: Kind }>;

/** A completed checkout activates; money for one cancelled before it was paid is refused. */
async function applyCheckoutCompleted(
  work: Work<SubscriptionsRepos>,
  fact: FactOf<'checkout_completed'>,
  now: Date,
): Promise<void> {
  const by = `provider:${fact.eventId}`;
  const subscription = await find(work, fact.payload.reference, null);
  if (!subscription) return;
  const after: Subscription = {
    ...subscription,
    providerSubscriptionId:
      subscription.providerSubscriptionId ?? fact.payload.providerSubscriptionId,
    status: subscription.status === 'incomplete' ? 'active' : subscription.status,
  };
  await saveWithAudit(work, subscription, after, {
    changedBy: by,
    reason: 'checkout completed',
    at: now,
  });
  if (
    subscription.status === 'canceled' &&
    fact.payload.providerSubscriptionId &&
    !(await work.subscriptions.wasActive(subscription.id))
  ) {
    const payload: PaymentRefusalRequestedPayload = {
      reference: { kind: 'subscription', id: subscription.id },
      clientId: subscription.clientId,
      providerSubscriptionId: fact.payload.providerSubscriptionId,
      invoiceId: null,
      reason: 'checkout completed for a subscription the client cancelled before paying',
    };
    await work.appendEvent(
      domainEvent(BILLING_EVENTS.paymentRefusalRequested, payload, {
        at: now,
        correlationId: fact.eventId,
        actor: { kind: 'system', id: 'subscriptions' },
      }),
    );
  }
}

/** A paid invoice grants its meals once and revives a subscription that was waiting on payment. */
async function applyInvoicePaid(
  deps: SubscriptionsDeps,
  work: Work<SubscriptionsRepos>,
  fact: FactOf<'invoice_paid'>,
  now: Date,
): Promise<void> {
  const by = `provider:${fact.eventId}`;
  const invoicePaidPayload = fact.payload;
  const subscription = await find(
    work,
    invoicePaidPayload.reference,
    invoicePaidPayload.providerSubscriptionId,
  );
  if (!subscription) return;
  if (!(await grantInvoice(deps, work, subscription, invoicePaidPayload, now))) return;
  const revive =
    subscription.status === 'incomplete' ||
    subscription.status === 'past_due' ||
    subscription.status === 'unpaid';
  const after: Subscription = {
    ...subscription,
    providerSubscriptionId:
      subscription.providerSubscriptionId ?? invoicePaidPayload.providerSubscriptionId,
    status: revive ? 'active' : subscription.status,
    currentPeriodEnd: later(subscription.currentPeriodEnd, invoicePaidPayload.periodEnd),
  };
  await saveWithAudit(work, subscription, after, {
    changedBy: by,
    reason: `invoice ${invoicePaidPayload.invoiceId} paid`,
    at: now,
  });
}

/** The provider's view of the subscription, unless it is older than the last one applied. */
async function applySubscriptionUpdated(
  work: Work<SubscriptionsRepos>,
  fact: FactOf<'provider_state'>,
  now: Date,
): Promise<void> {
  const by = `provider:${fact.eventId}`;
  const subscriptionUpdatedPayload = fact.payload;
  const text = await find(
    work,
    subscriptionUpdatedPayload.reference,
    subscriptionUpdatedPayload.providerSubscriptionId,
  );
  if (
    !text ||
    text.status === 'canceled' ||
    subscriptionUpdatedPayload.eventCreated < text.providerStateAt
  )
    return;
  const after: Subscription = {
    ...text,
    providerSubscriptionId:
      text.providerSubscriptionId ?? subscriptionUpdatedPayload.providerSubscriptionId,
    status: fromProviderStatus(
      subscriptionUpdatedPayload.status,
      subscriptionUpdatedPayload.paused,
    ),
    cancelAtPeriodEnd: subscriptionUpdatedPayload.cancelAtPeriodEnd,
    currentPeriodEnd: subscriptionUpdatedPayload.currentPeriodEnd ?? text.currentPeriodEnd,
    providerStateAt: subscriptionUpdatedPayload.eventCreated,
  };
  await saveWithAudit(work, text, after, {
    changedBy: by,
    reason: `provider reports ${subscriptionUpdatedPayload.status}${subscriptionUpdatedPayload.paused ? ' (collection paused)' : ''}`,
    at: now,
  });
}
