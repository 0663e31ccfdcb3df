import type { Queryable, Tx } from '../../../shared/db/db.js';
import type { Plan, Subscription, SubscriptionTransition } from '../domain/subscription.entity.js';

export interface SubscriptionsRepository {
  insertPlan(q: Queryable, p: Plan): Promise<void>;
  findPlan(q: Queryable, id: string, lock?: boolean): Promise<Plan | null>;
  savePlan(q: Queryable, p: Plan): Promise<void>;
  listPlans(q: Queryable, onlyActive: boolean): Promise<Plan[]>;
  insertSubscription(q: Queryable, s: Subscription): Promise<void>;
  setCheckoutSession(q: Queryable, id: string, sessionId: string): Promise<void>;
  findSubscription(q: Queryable, id: string): Promise<Subscription | null>;
  lockSubscription(tx: Tx, id: string): Promise<Subscription | null>;
  lockByProviderId(tx: Tx, providerSubscriptionId: string): Promise<Subscription | null>;
  saveSubscription(tx: Tx, s: Subscription): Promise<void>;
  listSubscriptions(q: Queryable, clientId: string): Promise<Subscription[]>;
  insertTransition(tx: Tx, t: SubscriptionTransition): Promise<void>;
  transitions(q: Queryable, subscriptionId: string): Promise<SubscriptionTransition[]>;
  /** Records that an invoice granted credits; false when it already had. */
  claimInvoice(tx: Tx, invoiceId: string, subscriptionId: string, credits: number, at: Date): Promise<boolean>;
}
