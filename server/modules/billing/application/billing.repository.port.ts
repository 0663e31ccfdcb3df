import type { Queryable, Tx } from '../../../shared/db/db.js';
import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type {
  BillingLine,
  BillingReference,
  BillingTransaction,
  ProviderName,
  TransactionKind,
} from '../domain/billing.entity.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

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

export interface DisputeRow {
  id: string;
  paymentIntent: string;
  chargeId: string;
  amountMinor: number;
  currency: string;
  status: string;
  reason: string | null;
  /** The provider's `event.created` of this state. */
  stateAt: number;
}

export interface RefundRequestRow {
  id: string;
  transactionId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  requestedBy: string;
  createdAt: Date;
}

export interface BillingRepository {
  /** Stores an event once by id; false when it was already there. */
  insertEvent(
    tx: Tx,
    event: StripeEventLike,
    source: 'webhook' | 'reconcile',
    at: Date,
  ): Promise<boolean>;
  lockEvent(tx: Tx, id: string): Promise<{ event: StripeEventLike; processed: boolean } | null>;
  markProcessed(tx: Tx, id: string, outcome: string, at: Date): Promise<void>;
  knownEventIds(q: Queryable, ids: readonly string[]): Promise<Set<string>>;
  insertCheckoutSession(q: Queryable, row: CheckoutSessionRow): Promise<void>;
  findCheckoutSession(q: Queryable, id: string): Promise<CheckoutSessionRow | null>;
  findCheckoutSessionByReference(
    q: Queryable,
    reference: BillingReference,
  ): Promise<CheckoutSessionRow | null>;
  completeCheckoutSession(tx: Tx, id: string): Promise<void>;
  /** Inserts unless `(kind, providerRef)` exists; returns the id and whether it is new. */
  insertTransaction(tx: Tx, t: NewTransaction): Promise<{ id: string; inserted: boolean }>;
  findTransaction(q: Queryable, id: string): Promise<BillingTransaction | null>;
  findTransactionByRef(
    q: Queryable,
    kind: TransactionKind,
    providerRef: string,
  ): Promise<BillingTransaction | null>;
  listTransactions(
    q: Queryable,
    after: CursorPosition | null,
    limit: number,
  ): Promise<BillingTransaction[]>;
  /** Keeps the highest cumulative refund reported for a payment intent; returns it. */
  raiseRefundState(
    tx: Tx,
    s: {
      paymentIntent: string;
      chargeId: string;
      amountRefunded: number;
      currency: string;
      at: Date;
    },
  ): Promise<number>;
  refundState(tx: Tx, paymentIntent: string): Promise<number>;
  /** The payment, or the paid invoice, that a payment intent paid. */
  findPaidByPaymentIntent(
    q: Queryable,
    paymentIntent: string,
  ): Promise<{ transaction: BillingTransaction; invoiceId: string | null } | null>;
  recordInvoicePayment(
    tx: Tx,
    p: { paymentIntent: string; invoiceId: string; amountPaid: number; currency: string; at: Date },
  ): Promise<void>;
  invoicePayments(
    q: Queryable,
    invoiceId: string,
  ): Promise<{ paymentIntent: string; amountPaid: number }[]>;
  /** Stores a dispute state unless a newer one is stored; says whether it applied and what it replaced. */
  saveDispute(
    tx: Tx,
    d: DisputeRow,
    at: Date,
  ): Promise<{ applied: boolean; previousStatus: string | null }>;
  disputesOf(q: Queryable, paymentIntent: string): Promise<DisputeRow[]>;
  expireCheckoutSession(q: Queryable, id: string): Promise<void>;
  /** The payment row, locked for the rest of `tx` (refund requests for it are serialized). */
  lockTransaction(tx: Tx, id: string): Promise<BillingTransaction | null>;
  /** The total of a payment's refund requests that the provider did not refuse. */
  requestedRefunds(tx: Tx, transactionId: string): Promise<number>;
  insertRefundRequest(tx: Tx, r: RefundRequestRow): Promise<void>;
  finishRefundRequest(
    q: Queryable,
    id: string,
    outcome: { status: 'requested'; providerRefundId: string } | { status: 'failed' },
  ): Promise<void>;
}
