/**
 * Subscriptions: plans and each client's subscription state machine (incomplete, active, past_due,
 * paused, canceled, unpaid), every transition audited; each paid invoice grants the plan's meals once.
 * @example
 * const subs = createSubscriptionsModule({ db, clock, checkout: billing.checkout, credits: credits.ledger });
 * const handlers = { ...subs.http, ...otherHandlers };
 * relay.register(...subs.consumers);
 */
export {
  createSubscriptionsModule,
  type SubscriptionsModule,
  type SubscriptionsModuleDeps,
} from './subscriptions.module.js';
export {
  canTransition,
  fromProviderStatus,
  type SubscriptionStatus,
} from './domain/subscription-status.js';
export type { Plan, Subscription, SubscriptionTransition } from './domain/subscription.entity.js';
