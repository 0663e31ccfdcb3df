import type { Plan, Subscription, SubscriptionTransition } from '../domain/subscription.entity.js';
import type { SubscriptionsDeps } from './subscriptions.deps.js';

/** The plans: active ones cheapest first, or (staff) every plan newest first. */
export function listPlans(deps: SubscriptionsDeps, onlyActive: boolean): Promise<Plan[]> {
  return deps.uow.read(({ plans }) => plans.list(onlyActive));
}

/** A client's subscriptions, newest first. */
export function listSubscriptions(
  deps: SubscriptionsDeps,
  clientId: string,
): Promise<Subscription[]> {
  return deps.uow.read(({ subscriptions }) => subscriptions.listOf(clientId));
}

/** The audit trail of one subscription, oldest first. */
export function listTransitions(
  deps: SubscriptionsDeps,
  subscriptionId: string,
): Promise<SubscriptionTransition[]> {
  return deps.uow.read(({ subscriptions }) => subscriptions.transitions(subscriptionId));
}
