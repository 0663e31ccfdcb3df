import type { InvoiceGrant } from '../domain/subscription.entity.js';

/** What each paid invoice bought and holds now. Bound by the unit of work. */
export interface InvoiceGrantRepository {
  /** Records an invoice and what it bought (no credits granted yet); false when it was already recorded. */
  claim(
    group: { invoiceId: string; subscriptionId: string; credits: number; paidMinor: number },
    at: Date,
  ): Promise<boolean>;
  /** An invoice's grant, locked for the rest of the transaction. */
  lock(invoiceId: string): Promise<InvoiceGrant | null>;
  save(invoiceGrant: InvoiceGrant): Promise<void>;
}
