import type { BillingLine, BillingReference, ProviderName } from '../domain/billing.entity.js';

export interface CheckoutSessionRow {
  id: string;
  provider: ProviderName;
  mode: 'payment' | 'subscription';
  reference: BillingReference;
  clientId: string;
  currency: string;
  amountMinor: number;
  lines: BillingLine[];
  interval: 'week' | 'month' | null;
  url: string;
  status: 'open' | 'complete' | 'expired';
  createdAt: string;
}

/** The provider's checkout sessions and the BK record each one pays for. */
export interface CheckoutSessionRepository {
  insert(row: CheckoutSessionRow): Promise<void>;
  find(id: string): Promise<CheckoutSessionRow | null>;
  findByReference(reference: BillingReference): Promise<CheckoutSessionRow | null>;
  complete(id: string): Promise<void>;
  /** Marks an open session expired (one already complete stays so). */
  expire(id: string): Promise<void>;
}
