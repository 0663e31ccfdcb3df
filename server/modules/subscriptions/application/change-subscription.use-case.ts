import type { Subscription } from '../domain/subscription.entity.js';
import { canTransition, type SubscriptionStatus } from '../domain/subscription-status.js';
import {
  InvalidSubscriptionTransition,
  SubscriptionNotFound,
} from '../domain/subscriptions.errors.js';
import { saveWithAudit } from './record-transition.js';
import type { SubscriptionsDeps } from './subscriptions.deps.js';

export type ClientChange = 'cancel' | 'pause' | 'resume';

function next(subscription: Subscription, change: ClientChange): Subscription {
  const to: SubscriptionStatus =
    change === 'pause'
      ? 'paused'
      : change === 'resume'
        ? 'active'
        : subscription.status === 'incomplete'
          ? 'canceled'
          : subscription.status;
  if (change === 'pause' && subscription.status !== 'active')
    throw new InvalidSubscriptionTransition(
      `Only an active subscription can be paused (this one is ${subscription.status}).`,
    );
  if (change === 'resume' && subscription.status !== 'paused')
    throw new InvalidSubscriptionTransition(
      `Only a paused subscription can be resumed (this one is ${subscription.status}).`,
    );
  if (change === 'cancel' && subscription.status === 'canceled')
    throw new InvalidSubscriptionTransition('The subscription is already canceled.');
  if (to !== subscription.status && !canTransition(subscription.status, to))
    throw new InvalidSubscriptionTransition(`${subscription.status} cannot become ${to}.`);
  // An unpaid checkout ends at once; a paid period runs to its end.
  return {
    ...subscription,
    status: to,
    cancelAtPeriodEnd: change === 'cancel' ? to !== 'canceled' : subscription.cancelAtPeriodEnd,
  };
}

/**
 * The client's own changes: cancel at period end, pause, resume. The provider is told first
 * (idempotency key from the subscription id, the change and how many changes it has had), then the
 * change and its audit row commit together; the provider's later webhook confirms the same state.
 * Cancelling a subscription that was never paid expires its checkout session first, so it can no
 * longer be paid; a payment that completed anyway is refused when it arrives (apply-billing-fact).
 */
export async function changeSubscription(
  deps: SubscriptionsDeps,
  cmd: { subscriptionId: string; clientId: string; change: ClientChange; reason?: string },
  now: Date,
): Promise<Subscription> {
  const current = await deps.uow.read(({ subscriptions }) =>
    subscriptions.find(cmd.subscriptionId),
  );
  if (!current || current.clientId !== cmd.clientId) throw new SubscriptionNotFound();
  next(current, cmd.change);
  if (current.status === 'incomplete' && cmd.change === 'cancel')
    await deps.checkout.expire({ referenceKind: 'subscription', referenceId: current.id });
  if (current.providerSubscriptionId) {
    const count = (
      await deps.uow.read(({ subscriptions }) => subscriptions.transitions(current.id))
    ).length;
    await deps.checkout.updateSubscription({
      providerSubscriptionId: current.providerSubscriptionId,
      change: cmd.change === 'cancel' ? 'cancel_at_period_end' : cmd.change,
      idempotencyKey: `bk-subscription-${current.id}-${cmd.change}-${count}`,
    });
  }
  return deps.uow.run(async (work) => {
    const before = await work.subscriptions.lock(cmd.subscriptionId);
    if (!before) throw new SubscriptionNotFound();
    const after = next(before, cmd.change);
    const verb =
      cmd.change === 'cancel'
        ? 'canceled by the client'
        : cmd.change === 'pause'
          ? 'paused by the client'
          : 'resumed by the client';
    await saveWithAudit(work, before, after, {
      changedBy: `user:${cmd.clientId}`,
      reason: cmd.reason ? `${verb}: ${cmd.reason}` : verb,
      at: now,
    });
    return { ...after, updatedAt: now.toISOString() };
  });
}
