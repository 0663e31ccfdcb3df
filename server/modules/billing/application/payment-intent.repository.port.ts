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

/**
 * What the provider reported against each payment intent, in whatever order it arrived: its
 * cumulative refund, its disputes, and the invoice it paid.
 */
export interface PaymentIntentRepository {
  /** Keeps the highest cumulative refund reported for a payment intent; returns it. */
  raiseRefunded(text: {
    paymentIntent: string;
    chargeId: string;
    amountRefunded: number;
    currency: string;
    at: Date;
  }): Promise<number>;
  /** The cumulative refund reported, locked for the rest of the transaction; 0 when none. */
  refunded(paymentIntent: string): Promise<number>;
  recordInvoicePayment(part: {
    paymentIntent: string;
    invoiceId: string;
    amountPaid: number;
    currency: string;
    at: Date;
  }): Promise<void>;
  invoicePayments(invoiceId: string): Promise<{ paymentIntent: string; amountPaid: number }[]>;
  /** Stores a dispute state unless a newer one is stored; says whether it applied and what it replaced. */
  saveDispute(
    disputeRow: DisputeRow,
    at: Date,
  ): Promise<{ applied: boolean; previousStatus: string | null }>;
  disputesOf(paymentIntent: string): Promise<DisputeRow[]>;
}
