import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import type { Subscription } from '../domain/subscription.entity.js';
import type { SubscriptionsRepository } from './subscriptions.repository.port.js';

/**
 * Saves a subscription and, when its status or cancel flag changed, the audit row and a
 * `subscriptions.status_changed` event, all in the caller's transaction.
 */
export async function saveWithAudit(
  repo: SubscriptionsRepository,
  tx: Tx,
  before: Subscription,
  after: Subscription,
  audit: { changedBy: string; reason: string; at: Date },
): Promise<void> {
  await repo.saveSubscription(tx, { ...after, updatedAt: audit.at.toISOString() });
  if (before.status === after.status && before.cancelAtPeriodEnd === after.cancelAtPeriodEnd)
    return;
  await repo.insertTransition(tx, {
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
  await appendToOutbox(
    tx,
    domainEvent('subscriptions.status_changed', payload, {
      at: audit.at,
      actor: audit.changedBy.startsWith('user:')
        ? { kind: 'user', id: audit.changedBy.slice(5) }
        : { kind: 'system', id: audit.changedBy },
    }),
  );
}
