import type { StripeEventLike } from '../domain/stripe-event.js';

/** The provider's events as received, each stored once by id and processed once. */
export interface ProviderEventRepository {
  /** Stores an event once by id; false when it was already there. */
  insert(event: StripeEventLike, source: 'webhook' | 'reconcile', at: Date): Promise<boolean>;
  /** The event, locked for the rest of the transaction, and whether it was processed. */
  lock(id: string): Promise<{ event: StripeEventLike; processed: boolean } | null>;
  markProcessed(id: string, outcome: string, at: Date): Promise<void>;
  /** Which of these ids are stored. */
  knownIds(ids: readonly string[]): Promise<Set<string>>;
}
