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
  s: { mealsPerInterval: number; priceMinor: number },
  amountPaidMinor: number,
): number {
  if (s.priceMinor <= 0) return s.mealsPerInterval;
  return Math.min(
    s.mealsPerInterval,
    Math.floor((s.mealsPerInterval * Math.max(0, amountPaidMinor)) / s.priceMinor),
  );
}

/** The meals a paid invoice holds now: in proportion to the money kept (less refunds and what a dispute holds back). */
export function mealsHeld(
  g: Pick<InvoiceGrant, 'credits' | 'paidMinor' | 'refundedMinor' | 'disputedMinor'>,
): number {
  if (g.paidMinor <= 0) return 0;
  const kept = Math.max(0, g.paidMinor - Math.min(g.refundedMinor + g.disputedMinor, g.paidMinor));
  return Math.floor((g.credits * kept) / g.paidMinor);
}
