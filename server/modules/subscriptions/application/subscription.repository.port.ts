import type { Subscription, SubscriptionTransition } from '../domain/subscription.entity.js';

/** Subscriptions with their audited transitions (one aggregate). Bound by the unit of work. */
export interface SubscriptionRepository {
  insert(subscription: Subscription): Promise<void>;
  setCheckoutSession(id: string, sessionId: string): Promise<void>;
  find(id: string): Promise<Subscription | null>;
  /** The subscription, locked for the rest of the transaction. */
  lock(id: string): Promise<Subscription | null>;
  lockByProviderId(providerSubscriptionId: string): Promise<Subscription | null>;
  save(subscription: Subscription): Promise<void>;
  listOf(clientId: string): Promise<Subscription[]>;
  insertTransition(subscriptionTransition: SubscriptionTransition): Promise<void>;
  transitions(subscriptionId: string): Promise<SubscriptionTransition[]>;
  /** Whether the subscription was ever active (a paid period was delivered). */
  wasActive(subscriptionId: string): Promise<boolean>;
}
