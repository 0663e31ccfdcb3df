import type { PacksRepository } from '../application/packs.repository.port.js';
import type { Pack, PackPurchase } from '../domain/pack.entity.js';

type PackRow = {
  id: string;
  name: string;
  description: string | null;
  meals: number;
  price_minor: number;
  currency: string;
  status: Pack['status'];
  created_at: Date;
  updated_at: Date;
};
const toPack = (r: PackRow): Pack => ({
  id: r.id,
  name: r.name,
  description: r.description,
  meals: r.meals,
  priceMinor: r.price_minor,
  currency: r.currency,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
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

export function createPacksRepository(): PacksRepository {
  return {
    async insertPack(q, p) {
      await q.query(
        'INSERT INTO packs (id, name, description, meals, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          p.id,
          p.name,
          p.description,
          p.meals,
          p.priceMinor,
          p.currency,
          p.status,
          p.createdAt,
          p.updatedAt,
        ],
      );
    },
    async findPack(q, id, lock = false) {
      const r = await q.query<PackRow>(
        `SELECT * FROM packs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return r.rows[0] ? toPack(r.rows[0]) : null;
    },
    async savePack(q, p) {
      await q.query(
        'UPDATE packs SET name = $2, description = $3, meals = $4, price_minor = $5, currency = $6, status = $7, updated_at = $8 WHERE id = $1',
        [p.id, p.name, p.description, p.meals, p.priceMinor, p.currency, p.status, p.updatedAt],
      );
    },
    async listPacks(q, onlyActive) {
      // The contract bounds the list (PackList, Catalogue: maxItems 500); there is no paging.
      const r = await q.query<PackRow>(
        onlyActive
          ? "SELECT * FROM packs WHERE status = 'active' ORDER BY price_minor, name LIMIT 500"
          : 'SELECT * FROM packs ORDER BY created_at DESC, id DESC LIMIT 500',
      );
      return r.rows.map(toPack);
    },
    async insertPurchase(q, p) {
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
    async setCheckoutSession(q, purchaseId, sessionId) {
      await q.query('UPDATE pack_purchases SET checkout_session_id = $2 WHERE id = $1', [
        purchaseId,
        sessionId,
      ]);
    },
    async lockPurchase(tx, id) {
      const r = await tx.query<PurchaseRow>(
        'SELECT * FROM pack_purchases WHERE id = $1 FOR UPDATE',
        [id],
      );
      return r.rows[0] ? toPurchase(r.rows[0]) : null;
    },
    async savePurchase(tx, p, at) {
      await tx.query(
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
    async listPurchases(q, clientId) {
      const r = await q.query<PurchaseRow>(
        'SELECT * FROM pack_purchases WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
        [clientId],
      );
      return r.rows.map(toPurchase);
    },
  };
}
