import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type {
  BillingLine,
  BillingReference,
  BillingTransaction,
  ProviderName,
  TransactionKind,
} from '../domain/billing.entity.js';

export interface NewTransaction {
  id: string;
  kind: TransactionKind;
  amountMinor: number;
  currency: string;
  provider: ProviderName;
  providerRef: string;
  refundsTransactionId: string | null;
  reference: BillingReference | null;
  clientId: string | null;
  stripeEventId: string;
  lines: BillingLine[];
  at: Date;
}

/** The immutable money ledger: payments, paid invoices and refunds, with their lines. */
export interface BillingTransactionRepository {
  /** Inserts unless `(kind, providerRef)` exists; returns the id and whether it is new. */
  insert(newTransaction: NewTransaction): Promise<{ id: string; inserted: boolean }>;
  find(id: string): Promise<BillingTransaction | null>;
  findByRef(kind: TransactionKind, providerRef: string): Promise<BillingTransaction | null>;
  list(after: CursorPosition | null, limit: number): Promise<BillingTransaction[]>;
  /** The payment row, locked for the rest of the transaction (refund requests for it are serialized). */
  lock(id: string): Promise<BillingTransaction | null>;
  /** The payment, or the paid invoice, that a payment intent paid. */
  findPaidBy(
    paymentIntent: string,
  ): Promise<{ transaction: BillingTransaction; invoiceId: string | null } | null>;
}
