import type { Db } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import { BILLING_EVENTS, type StripeEventReceivedPayload } from '../domain/billing.events.js';
import type { StripeEventLike } from '../domain/stripe-event.js';
import type { BillingRepository } from './billing.repository.port.js';

/**
 * Stores a provider event once by its id and, only when it is new, queues its processing on the
 * outbox in the same transaction. Nothing else happens before the webhook is acknowledged.
 */
export async function storeProviderEvent(
  deps: { db: Db; repo: BillingRepository },
  event: StripeEventLike,
  meta: { now: Date; source: 'webhook' | 'reconcile'; requestId?: string },
): Promise<{ duplicate: boolean }> {
  return deps.db.tx(async (tx) => {
    const inserted = await deps.repo.insertEvent(tx, event, meta.source, meta.now);
    if (inserted) {
      const payload: StripeEventReceivedPayload = { stripeEventId: event.id, type: event.type };
      await appendToOutbox(
        tx,
        domainEvent(BILLING_EVENTS.stripeEventReceived, payload, {
          at: meta.now,
          ...(meta.requestId ? { requestId: meta.requestId } : {}),
          actor: { kind: 'system', id: `stripe:${meta.source}` },
        }),
      );
    }
    return { duplicate: !inserted };
  });
}
