import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import type { ProviderName } from '../domain/billing.entity.js';
import type { StripeEventLike } from '../domain/stripe-event.js';
import type { BillingRepos } from './billing.deps.js';

/** One provider event being processed: its transaction, and where the facts it yields go. */
export interface ProviderEventCtx {
  work: Work<BillingRepos>;
  provider: ProviderName;
  event: StripeEventLike;
  now: Date;
}

/** Appends a billing fact to the outbox, correlated with the provider event that caused it. */
export const emit = (
  providerEventCtx: ProviderEventCtx,
  type: string,
  payload: Record<string, unknown>,
) =>
  providerEventCtx.work.appendEvent(
    domainEvent(type, payload, {
      at: providerEventCtx.now,
      correlationId: providerEventCtx.event.id,
      actor: { kind: 'system', id: 'billing' },
    }),
  );
