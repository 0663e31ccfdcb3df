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
const toGrant = (grantRow: GrantRow): InvoiceGrant => ({
  invoiceId: grantRow.invoice_id,
  subscriptionId: grantRow.subscription_id,
  clientId: grantRow.client_id,
  credits: grantRow.credits,
  paidMinor: grantRow.paid_minor,
  refundedMinor: grantRow.refunded_minor,
  disputedMinor: grantRow.disputed_minor,
  disputeStateAt: Number(grantRow.dispute_state_at),
  creditsHeld: grantRow.credits_held,
  creditEntries: grantRow.credit_entries,
});

/** Invoice grants on `q`: a transaction or the pool, as the unit of work binds it. */
export function createInvoiceGrantRepository(queryable: Queryable): InvoiceGrantRepository {
  return {
    async claim(group, at) {
      const result = await queryable.query(
        'INSERT INTO subscription_invoice_grants (invoice_id, subscription_id, credits, paid_minor, credits_held, credit_entries, granted_at) VALUES ($1, $2, $3, $4, 0, 0, $5) ON CONFLICT (invoice_id) DO NOTHING',
        [group.invoiceId, group.subscriptionId, group.credits, group.paidMinor, at],
      );
      return result.rowCount === 1;
    },
    async lock(invoiceId) {
      const result = await queryable.query<GrantRow>(
        'SELECT g.*, s.client_id FROM subscription_invoice_grants g JOIN subscriptions s ON s.id = g.subscription_id WHERE g.invoice_id = $1 FOR UPDATE OF g',
        [invoiceId],
      );
      return result.rows[0] ? toGrant(result.rows[0]) : null;
    },
    async save(invoiceGrant) {
      await queryable.query(
        'UPDATE subscription_invoice_grants SET refunded_minor = $2, disputed_minor = $3, dispute_state_at = $4, credits_held = $5, credit_entries = $6 WHERE invoice_id = $1',
        [
          invoiceGrant.invoiceId,
          invoiceGrant.refundedMinor,
          invoiceGrant.disputedMinor,
          invoiceGrant.disputeStateAt,
          invoiceGrant.creditsHeld,
          invoiceGrant.creditEntries,
        ],
      );
    },
  };
}
