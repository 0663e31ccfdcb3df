import { randomUUID } from 'node:crypto';
import { RefundNotAllowed, TransactionNotFound } from '../domain/billing.errors.js';
import type { BillingDeps } from './billing.deps.js';

export interface RefundTransaction {
  transactionId: string;
  amountMinor?: number;
  reason: string;
  /** The staff member who asked (user id). */
  requestedBy: string;
}

export interface RefundRequested {
  refundRequestId: string;
  transactionId: string;
  amountMinor: number;
  currency: string;
  providerRefundId: string;
  status: 'requested';
  reason: string;
  requestedBy: string;
}

/**
 * Asks the provider to refund part or all of a payment. Each call is a refund request of its own,
 * recorded with its reason and the staff member who asked, and its id is the provider's
 * idempotency key: two equal partial refunds are two refunds, and the SDK's retries of one call
 * are one. (A retried HTTP request with the same `Idempotency-Key` is answered from BalanceGuard's
 * store and never gets here twice.) What is left to refund counts the requests not yet confirmed,
 * under a lock on the payment, so concurrent requests cannot ask for more than was paid. The ledger
 * changes when the provider confirms with `charge.refunded`, through the webhook.
 */
export async function refundTransaction(
  deps: BillingDeps,
  cmd: RefundTransaction,
  meta: { now: Date },
): Promise<RefundRequested> {
  const request = await deps.uow.run(async ({ transactions, refunds }) => {
    const payment = await transactions.lock(cmd.transactionId);
    if (!payment) throw new TransactionNotFound();
    if (payment.kind !== 'payment')
      throw new RefundNotAllowed(
        'Only one-off payments are refunded here; subscription invoices are refunded at the provider.',
      );
    const committed = Math.max(payment.refundedMinor, await refunds.requestedTotal(payment.id));
    const left = payment.amountMinor - committed;
    if (left <= 0)
      throw new RefundNotAllowed(
        'The payment is already fully refunded (or its refunds are on their way).',
      );
    const amount = cmd.amountMinor ?? left;
    if (amount > left) throw new RefundNotAllowed(`At most ${left} can still be refunded.`);
    const row = {
      id: randomUUID(),
      transactionId: payment.id,
      amountMinor: amount,
      currency: payment.currency,
      reason: cmd.reason,
      requestedBy: cmd.requestedBy,
      createdAt: meta.now,
    };
    await refunds.insert(row);
    return { ...row, paymentIntent: payment.providerRef };
  });
  let providerRefundId: string;
  try {
    const refund = await deps.provider.refund({
      paymentIntent: request.paymentIntent,
      amountMinor: request.amountMinor,
      idempotencyKey: `bk-refund-${request.id}`,
      metadata: {
        bk_refund_request_id: request.id,
        bk_requested_by: request.requestedBy,
        bk_reason: request.reason,
      },
    });
    providerRefundId = refund.id;
  } catch (err) {
    await deps.uow.run(({ refunds }) => refunds.finish(request.id, { status: 'failed' }));
    throw err;
  }
  await deps.uow.run(({ refunds }) =>
    refunds.finish(request.id, { status: 'requested', providerRefundId }),
  );
  return {
    refundRequestId: request.id,
    transactionId: request.transactionId,
    amountMinor: request.amountMinor,
    currency: request.currency,
    providerRefundId,
    status: 'requested',
    reason: request.reason,
    requestedBy: request.requestedBy,
  };
}
