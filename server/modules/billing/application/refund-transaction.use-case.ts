import type { Queryable } from '../../../shared/db/db.js';
import { RefundNotAllowed, TransactionNotFound } from '../domain/billing.errors.js';
import type { PaymentProvider } from '../domain/payment-provider.port.js';
import type { BillingRepository } from './billing.repository.port.js';

export interface RefundTransaction {
  transactionId: string;
  amountMinor?: number;
  reason: string;
}

/**
 * Asks the provider to refund part or all of a payment. The ledger does not change here: it
 * changes when the provider confirms with `charge.refunded`, through the webhook. The idempotency
 * key is derived from the payment and the cumulative amount asked for, so a retried request
 * refunds once.
 */
export async function refundTransaction(
  deps: { db: Queryable; repo: BillingRepository; provider: PaymentProvider },
  cmd: RefundTransaction,
): Promise<{ transactionId: string; amountMinor: number; currency: string; providerRefundId: string; status: 'requested' }> {
  const payment = await deps.repo.findTransaction(deps.db, cmd.transactionId);
  if (!payment) throw new TransactionNotFound();
  if (payment.kind !== 'payment') throw new RefundNotAllowed('Only one-off payments are refunded here; subscription invoices are refunded at the provider.');
  const left = payment.amountMinor - payment.refundedMinor;
  const amount = cmd.amountMinor ?? left;
  if (left <= 0) throw new RefundNotAllowed('The payment is already fully refunded.');
  if (amount > left) throw new RefundNotAllowed(`At most ${left} can still be refunded.`);
  const refund = await deps.provider.refund({ paymentIntent: payment.providerRef, amountMinor: amount, idempotencyKey: `bk-refund-${payment.id}-${payment.refundedMinor + amount}` });
  return { transactionId: payment.id, amountMinor: amount, currency: payment.currency, providerRefundId: refund.id, status: 'requested' };
}
