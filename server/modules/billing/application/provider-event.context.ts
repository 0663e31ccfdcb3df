import type { Tx } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import type { ProviderName } from '../domain/billing.entity.js';
import type { StripeEventLike } from '../domain/stripe-event.js';
import type { BillingRepository } from './billing.repository.port.js';

/** One provider event being processed: its transaction, and where the facts it yields go. */
export interface ProviderEventCtx {
  tx: Tx;
  repo: BillingRepository;
  provider: ProviderName;
  event: StripeEventLike;
  now: Date;
}

/** Appends a billing fact to the outbox, correlated with the provider event that caused it. */
export const emit = (c: ProviderEventCtx, type: string, payload: Record<string, unknown>) =>
  appendToOutbox(
    c.tx,
    domainEvent(type, payload, {
      at: c.now,
      correlationId: c.event.id,
      actor: { kind: 'system', id: 'billing' },
    }),
  );
