export interface RefundRequestRow {
  id: string;
  transactionId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  requestedBy: string;
  createdAt: Date;
}

/** Staff's refund requests: who asked for what, and what the provider answered. */
export interface RefundRequestRepository {
  /** The total of a payment's refund requests that the provider did not refuse. */
  requestedTotal(transactionId: string): Promise<number>;
  insert(refundRequestRow: RefundRequestRow): Promise<void>;
  finish(
    id: string,
    outcome: { status: 'requested'; providerRefundId: string } | { status: 'failed' },
  ): Promise<void>;
}
