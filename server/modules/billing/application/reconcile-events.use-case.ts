import type { BillingDeps } from './billing.deps.js';
import { storeProviderEvent } from './store-provider-event.use-case.js';

export interface ReconcileReport {
  listed: number;
  replayed: string[];
}

/**
 * Lists the provider's events since `since` and stores (and so processes) every one BK never
 * received: webhooks lost while the API was down, or dropped by a network. Events from the API are
 * trusted without a signature (they come over BK's authenticated connection).
 */
export async function reconcileEvents(
  deps: BillingDeps,
  since: Date,
  meta: { now: Date },
): Promise<ReconcileReport> {
  const events = await deps.provider.listEvents(Math.floor(since.getTime() / 1000));
  const known = await deps.uow.read(({ events: stored }) =>
    stored.knownIds(events.map((stripeEventLike) => stripeEventLike.id)),
  );
  const replayed: string[] = [];
  for (const event of events) {
    if (known.has(event.id)) continue;
    const { duplicate } = await storeProviderEvent(deps, event, {
      now: meta.now,
      source: 'reconcile',
    });
    if (!duplicate) replayed.push(event.id);
  }
  return { listed: events.length, replayed };
}
