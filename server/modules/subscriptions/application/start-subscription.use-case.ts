import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../../shared/db/db.js';
import type { Subscription } from '../domain/subscription.entity.js';
import { AlreadySubscribed, PlanNotFound, PlanRetired } from '../domain/subscriptions.errors.js';
import type { SubscriptionsDeps } from './subscriptions.deps.js';

/** An `incomplete` subscription (audited as created) and its checkout session, keyed by its id. */
export async function startSubscription(
  deps: SubscriptionsDeps,
  cmd: { planId: string; clientId: string },
  now: Date,
): Promise<{ subscription: Subscription; checkoutSessionId: string; checkoutUrl: string }> {
  const plan = await deps.uow.read(({ plans }) => plans.find(cmd.planId));
  if (!plan) throw new PlanNotFound();
  if (plan.status !== 'active') throw new PlanRetired();
  const at = now.toISOString();
  const subscription: Subscription = {
    id: randomUUID(),
    planId: plan.id,
    clientId: cmd.clientId,
    mealsPerInterval: plan.mealsPerInterval,
    priceMinor: plan.priceMinor,
    status: 'incomplete',
    cancelAtPeriodEnd: false,
    currentPeriodEnd: null,
    providerSubscriptionId: null,
    providerStateAt: 0,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.uow.run(async ({ subscriptions }) => {
      await subscriptions.insert(subscription);
      await subscriptions.insertTransition({
        id: randomUUID(),
        subscriptionId: subscription.id,
        from: null,
        to: 'incomplete',
        cancelAtPeriodEnd: false,
        changedBy: `user:${cmd.clientId}`,
        changedAt: at,
        reason: 'subscribed; awaiting payment',
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'subscriptions_live')) throw new AlreadySubscribed();
    throw err;
  }
  const session = await deps.checkout.start({
    mode: 'subscription',
    referenceKind: 'subscription',
    referenceId: subscription.id,
    clientId: cmd.clientId,
    currency: plan.currency,
    interval: plan.interval,
    lines: [{ description: plan.name, quantity: 1, unitAmountMinor: plan.priceMinor }],
  });
  await deps.uow.run(({ subscriptions }) =>
    subscriptions.setCheckoutSession(subscription.id, session.id),
  );
  return { subscription, checkoutSessionId: session.id, checkoutUrl: session.url };
}
