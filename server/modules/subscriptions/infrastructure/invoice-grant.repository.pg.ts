import type { Queryable } from '../../../shared/db/db.js';
import type { InvoiceGrantRepository } from '../application/invoice-grant.repository.port.js';
import type { InvoiceGrant } from '../domain/subscription.entity.js';

type GrantRow = {
  invoice_id: string;
  subscription_id: string;
  client_id: string;
  credits: number;
  paid_minor: number;
  refunded_minor: number;
  disputed_minor: number;
  dispute_state_at: number;
  credits_held: number;
  credit_entries: number;
};
const toGrant = (r: GrantRow): InvoiceGrant => ({
  invoiceId: r.invoice_id,
  subscriptionId: r.subscription_id,
  clientId: r.client_id,
  credits: r.credits,
  paidMinor: r.paid_minor,
  refundedMinor: r.refunded_minor,
  disputedMinor: r.disputed_minor,
  disputeStateAt: Number(r.dispute_state_at),
  creditsHeld: r.credits_held,
  creditEntries: r.credit_entries,
});

/** Invoice grants on `q`: a transaction or the pool, as the unit of work binds it. */
export function createInvoiceGrantRepository(q: Queryable): InvoiceGrantRepository {
  return {
    async claim(g, at) {
      const r = await q.query(
        'INSERT INTO subscription_invoice_grants (invoice_id, subscription_id, credits, paid_minor, credits_held, credit_entries, granted_at) VALUES ($1, $2, $3, $4, 0, 0, $5) ON CONFLICT (invoice_id) DO NOTHING',
        [g.invoiceId, g.subscriptionId, g.credits, g.paidMinor, at],
      );
      return r.rowCount === 1;
    },
    async lock(invoiceId) {
      const r = await q.query<GrantRow>(
        'SELECT g.*, s.client_id FROM subscription_invoice_grants g JOIN subscriptions s ON s.id = g.subscription_id WHERE g.invoice_id = $1 FOR UPDATE OF g',
        [invoiceId],
      );
      return r.rows[0] ? toGrant(r.rows[0]) : null;
    },
    async save(g) {
      await q.query(
        'UPDATE subscription_invoice_grants SET refunded_minor = $2, disputed_minor = $3, dispute_state_at = $4, credits_held = $5, credit_entries = $6 WHERE invoice_id = $1',
        [
          g.invoiceId,
          g.refundedMinor,
          g.disputedMinor,
          g.disputeStateAt,
          g.creditsHeld,
          g.creditEntries,
        ],
      );
    },
  };
}
