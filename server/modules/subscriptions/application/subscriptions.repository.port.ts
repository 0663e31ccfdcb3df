import type { Queryable, Tx } from '../../../shared/db/db.js';
import type {
  InvoiceGrant,
  Plan,
  Subscription,
  SubscriptionTransition,
} from '../domain/subscription.entity.js';

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
  /** Records an invoice and what it bought (no credits granted yet); false when it was already recorded. */
  claimInvoice(
    tx: Tx,
    g: { invoiceId: string; subscriptionId: string; credits: number; paidMinor: number },
    at: Date,
  ): Promise<boolean>;
  /** An invoice's grant, locked for the rest of `tx`. */
  lockGrant(tx: Tx, invoiceId: string): Promise<InvoiceGrant | null>;
  saveGrant(tx: Tx, g: InvoiceGrant): Promise<void>;
  /** Whether the subscription was ever active (a paid period was delivered). */
  wasActive(q: Queryable, subscriptionId: string): Promise<boolean>;
}
