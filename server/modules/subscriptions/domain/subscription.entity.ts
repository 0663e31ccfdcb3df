import type { SubscriptionStatus } from './subscription-status.js';

export interface Plan {
  id: string;
  name: string;
  description: string | null;
  interval: 'week' | 'month';
  mealsPerInterval: number;
  priceMinor: number;
  currency: string;
  status: 'active' | 'retired';
  createdAt: string;
  updatedAt: string;
}

export interface Subscription {
  id: string;
  planId: string;
  clientId: string;
  mealsPerInterval: number;
  /** The plan's price when the subscription started: an invoice grants meals in proportion to it. */
  priceMinor: number;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: string | null;
  providerSubscriptionId: string | null;
  providerStateAt: number;
  createdAt: string;
  updatedAt: string;
}

/** One audited change: who (`user:<id>`, `provider:<event>`), when, from, to, why. */
export interface SubscriptionTransition {
  id: string;
  subscriptionId: string;
  from: SubscriptionStatus | null;
  to: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  changedBy: string;
  changedAt: string;
  reason: string;
}

/** What one paid invoice bought and holds now, after refunds and disputes. */
export interface InvoiceGrant {
  invoiceId: string;
  subscriptionId: string;
  clientId: string;
  /** The meals the amount paid bought. */
  credits: number;
  paidMinor: number;
  refundedMinor: number;
  disputedMinor: number;
  disputeStateAt: number;
  creditsHeld: number;
  creditEntries: number;
}

/**
 * The meals an invoice buys: the subscription's meals in proportion to the amount paid against
 * its price, rounded down and never more than a full period's.
 * @example
 * mealsPaidFor({ mealsPerInterval: 5, priceMinor: 4500 }, 2250) // 2
 */
export function mealsPaidFor(
  text: { mealsPerInterval: number; priceMinor: number },
  amountPaidMinor: number,
): number {
  if (text.priceMinor <= 0) return text.mealsPerInterval;
  return Math.min(
    text.mealsPerInterval,
    Math.floor((text.mealsPerInterval * Math.max(0, amountPaidMinor)) / text.priceMinor),
  );
}

/** The meals a paid invoice holds now: in proportion to the money kept (less refunds and what a dispute holds back). */
export function mealsHeld(
  group: Pick<InvoiceGrant, 'credits' | 'paidMinor' | 'refundedMinor' | 'disputedMinor'>,
): number {
  if (group.paidMinor <= 0) return 0;
  const kept = Math.max(
    0,
    group.paidMinor - Math.min(group.refundedMinor + group.disputedMinor, group.paidMinor),
  );
  return Math.floor((group.credits * kept) / group.paidMinor);
}
