import type { Queryable } from '../../../shared/db/db.js';
import type { RefundRequestRepository } from '../application/refund-request.repository.port.js';

/** Refund requests on `q`: a transaction or the pool, as the unit of work binds it. */
export function createRefundRequestRepository(queryable: Queryable): RefundRequestRepository {
  return {
    async requestedTotal(transactionId) {
      const result = await queryable.query<{ total: string }>(
        "SELECT COALESCE(SUM(amount_minor), 0)::bigint AS total FROM billing_refund_requests WHERE transaction_id = $1 AND status <> 'failed'",
        [transactionId],
      );
      return Number(result.rows[0]!.total);
    },
    async insert(refundRequestRow) {
      await queryable.query(
        "INSERT INTO billing_refund_requests (id, transaction_id, amount_minor, currency, reason, requested_by, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7)",
        [
          refundRequestRow.id,
          refundRequestRow.transactionId,
          refundRequestRow.amountMinor,
          refundRequestRow.currency,
          refundRequestRow.reason,
          refundRequestRow.requestedBy,
          refundRequestRow.createdAt,
        ],
      );
    },
    async finish(id, outcome) {
      await queryable.query(
        'UPDATE billing_refund_requests SET status = $2, provider_refund_id = $3 WHERE id = $1',
        [id, outcome.status, outcome.status === 'requested' ? outcome.providerRefundId : null],
      );
    },
  };
}
