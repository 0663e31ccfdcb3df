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
const toPurchase = (r: PurchaseRow): PackPurchase => ({
  id: r.id,
  packId: r.pack_id,
  clientId: r.client_id,
  packName: r.pack_name,
  meals: r.meals,
  priceMinor: r.price_minor,
  currency: r.currency,
  checkoutSessionId: r.checkout_session_id,
  status: r.status,
  paidMinor: r.paid_minor,
  refundedMinor: r.refunded_minor,
  disputedMinor: r.disputed_minor,
  disputeStateAt: Number(r.dispute_state_at),
  creditsGranted: r.credits_granted,
  creditEntries: r.credit_entries,
  createdAt: r.created_at.toISOString(),
  paidAt: r.paid_at?.toISOString() ?? null,
});

/** Pack purchases on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPackPurchaseRepository(q: Queryable): PackPurchaseRepository {
  return {
    async insert(p) {
      await q.query(
        'INSERT INTO pack_purchases (id, pack_id, client_id, pack_name, meals, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)',
        [
          p.id,
          p.packId,
          p.clientId,
          p.packName,
          p.meals,
          p.priceMinor,
          p.currency,
          p.status,
          p.createdAt,
        ],
      );
    },
    async setCheckoutSession(purchaseId, sessionId) {
      await q.query('UPDATE pack_purchases SET checkout_session_id = $2 WHERE id = $1', [
        purchaseId,
        sessionId,
      ]);
    },
    async lock(id) {
      const r = await q.query<PurchaseRow>(
        'SELECT * FROM pack_purchases WHERE id = $1 FOR UPDATE',
        [id],
      );
      return r.rows[0] ? toPurchase(r.rows[0]) : null;
    },
    async save(p, at) {
      await q.query(
        'UPDATE pack_purchases SET status = $2, paid_minor = $3, refunded_minor = $4, credits_granted = $5, credit_entries = $6, paid_at = $7, updated_at = $8, disputed_minor = $9, dispute_state_at = $10 WHERE id = $1',
        [
          p.id,
          p.status,
          p.paidMinor,
          p.refundedMinor,
          p.creditsGranted,
          p.creditEntries,
          p.paidAt,
          at,
          p.disputedMinor,
          p.disputeStateAt,
        ],
      );
    },
    async listOf(clientId) {
      const r = await q.query<PurchaseRow>(
        'SELECT * FROM pack_purchases WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
        [clientId],
      );
      return r.rows.map(toPurchase);
    },
  };
}
