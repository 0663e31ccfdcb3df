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
