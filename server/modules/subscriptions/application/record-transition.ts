import { randomUUID } from 'node:crypto';
import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import type { Subscription } from '../domain/subscription.entity.js';
import type { SubscriptionsRepos } from './subscriptions.deps.js';

/**
 * Saves a subscription and, when its status or cancel flag changed, the audit row and a
 * `subscriptions.status_changed` event, all in `work`.
 */
export async function saveWithAudit(
  work: Work<SubscriptionsRepos>,
  before: Subscription,
  after: Subscription,
  audit: { changedBy: string; reason: string; at: Date },
): Promise<void> {
  await work.subscriptions.save({ ...after, updatedAt: audit.at.toISOString() });
  if (before.status === after.status && before.cancelAtPeriodEnd === after.cancelAtPeriodEnd)
    return;
  await work.subscriptions.insertTransition({
    id: randomUUID(),
    subscriptionId: after.id,
    from: before.status,
    to: after.status,
    cancelAtPeriodEnd: after.cancelAtPeriodEnd,
    changedBy: audit.changedBy,
    changedAt: audit.at.toISOString(),
    reason: audit.reason,
  });
  const payload = {
    subscriptionId: after.id,
    clientId: after.clientId,
    from: before.status,
    to: after.status,
    cancelAtPeriodEnd: after.cancelAtPeriodEnd,
    changedBy: audit.changedBy,
    reason: audit.reason,
  };
  await work.appendEvent(
    domainEvent('subscriptions.status_changed', payload, {
      at: audit.at,
      actor: audit.changedBy.startsWith('user:')
        ? { kind: 'user', id: audit.changedBy.slice(5) }
        : { kind: 'system', id: audit.changedBy },
    }),
  );
}
