import { domainEvent } from '../../../shared/events/domain-event.js';
import { BILLING_EVENTS, type StripeEventReceivedPayload } from '../domain/billing.events.js';
import type { StripeEventLike } from '../domain/stripe-event.js';
import type { BillingDeps } from './billing.deps.js';

/**
 * Stores a provider event once by its id and, only when it is new, queues its processing on the
 * outbox in the same transaction. Nothing else happens before the webhook is acknowledged.
 */
export async function storeProviderEvent(
  deps: BillingDeps,
  event: StripeEventLike,
  meta: { now: Date; source: 'webhook' | 'reconcile'; requestId?: string },
): Promise<{ duplicate: boolean }> {
  return deps.uow.run(async ({ events, appendEvent }) => {
    const inserted = await events.insert(event, meta.source, meta.now);
    if (inserted) {
      const payload: StripeEventReceivedPayload = { stripeEventId: event.id, type: event.type };
      await appendEvent(
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
