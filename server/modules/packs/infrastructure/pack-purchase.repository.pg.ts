import type { Queryable } from '../../../shared/db/db.js';
import type { PackPurchaseRepository } from '../application/pack-purchase.repository.port.js';
import type { PackPurchase } from '../domain/pack.entity.js';

type PurchaseRow = {
  id: string;
  pack_id: string;
  client_id: string;
  pack_name: string;
  meals: number;
  price_minor: number;
  currency: string;
  checkout_session_id: string | null;
  status: PackPurchase['status'];
  paid_minor: number;
  refunded_minor: number;
  disputed_minor: number;
  dispute_state_at: number;
  credits_granted: number;
  credit_entries: number;
  created_at: Date;
  paid_at: Date | null;
};
const toPurchase = (purchaseRow: PurchaseRow): PackPurchase => ({
  id: purchaseRow.id,
  packId: purchaseRow.pack_id,
  clientId: purchaseRow.client_id,
  packName: purchaseRow.pack_name,
  meals: purchaseRow.meals,
  priceMinor: purchaseRow.price_minor,
  currency: purchaseRow.currency,
  checkoutSessionId: purchaseRow.checkout_session_id,
  status: purchaseRow.status,
  paidMinor: purchaseRow.paid_minor,
  refundedMinor: purchaseRow.refunded_minor,
  disputedMinor: purchaseRow.disputed_minor,
  disputeStateAt: Number(purchaseRow.dispute_state_at),
  creditsGranted: purchaseRow.credits_granted,
  creditEntries: purchaseRow.credit_entries,
  createdAt: purchaseRow.created_at.toISOString(),
  paidAt: purchaseRow.paid_at?.toISOString() ?? null,
});

/** Pack purchases on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPackPurchaseRepository(queryable: Queryable): PackPurchaseRepository {
  return {
    async insert(packPurchase) {
      await queryable.query(
        'INSERT INTO pack_purchases (id, pack_id, client_id, pack_name, meals, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)',
        [
          packPurchase.id,
          packPurchase.packId,
          packPurchase.clientId,
          packPurchase.packName,
          packPurchase.meals,
          packPurchase.priceMinor,
          packPurchase.currency,
          packPurchase.status,
          packPurchase.createdAt,
        ],
      );
    },
    async setCheckoutSession(purchaseId, sessionId) {
      await queryable.query('UPDATE pack_purchases SET checkout_session_id = $2 WHERE id = $1', [
        purchaseId,
        sessionId,
      ]);
    },
    async lock(id) {
      const result = await queryable.query<PurchaseRow>(
        'SELECT * FROM pack_purchases WHERE id = $1 FOR UPDATE',
        [id],
      );
      return result.rows[0] ? toPurchase(result.rows[0]) : null;
    },
    async save(packPurchase, at) {
      await queryable.query(
        'UPDATE pack_purchases SET status = $2, paid_minor = $3, refunded_minor = $4, credits_granted = $5, credit_entries = $6, paid_at = $7, updated_at = $8, disputed_minor = $9, dispute_state_at = $10 WHERE id = $1',
        [
          packPurchase.id,
          packPurchase.status,
          packPurchase.paidMinor,
          packPurchase.refundedMinor,
          packPurchase.creditsGranted,
          packPurchase.creditEntries,
          packPurchase.paidAt,
          at,
          packPurchase.disputedMinor,
          packPurchase.disputeStateAt,
        ],
      );
    },
    async listOf(clientId) {
      const result = await queryable.query<PurchaseRow>(
        'SELECT * FROM pack_purchases WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
        [clientId],
      );
      return result.rows.map(toPurchase);
    },
  };
}
