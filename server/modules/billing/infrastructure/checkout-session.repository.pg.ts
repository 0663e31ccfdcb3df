import type { Queryable } from '../../../shared/db/db.js';
import type {
  CheckoutSessionRepository,
  CheckoutSessionRow,
} from '../application/checkout-session.repository.port.js';
import type { BillingLine, ProviderName, ReferenceKind } from '../domain/billing.entity.js';

type SessionRow = {
  id: string;
  provider: ProviderName;
  mode: 'payment' | 'subscription';
  reference_kind: ReferenceKind;
  reference_id: string;
  client_id: string;
  currency: string;
  amount_minor: number;
  lines: BillingLine[];
  interval: 'week' | 'month' | null;
  url: string;
  status: CheckoutSessionRow['status'];
  created_at: Date;
};
const toSession = (sessionRow: SessionRow): CheckoutSessionRow => ({
  id: sessionRow.id,
  provider: sessionRow.provider,
  mode: sessionRow.mode,
  reference: { kind: sessionRow.reference_kind, id: sessionRow.reference_id },
  clientId: sessionRow.client_id,
  currency: sessionRow.currency,
  amountMinor: sessionRow.amount_minor,
  lines: sessionRow.lines,
  interval: sessionRow.interval,
  url: sessionRow.url,
  status: sessionRow.status,
  createdAt: sessionRow.created_at.toISOString(),
});

/** Checkout sessions on `q`: a transaction or the pool, as the unit of work binds it. */
export function createCheckoutSessionRepository(queryable: Queryable): CheckoutSessionRepository {
  return {
    async insert(checkoutSessionRow) {
      await queryable.query(
        `INSERT INTO billing_checkout_sessions (id, provider, mode, reference_kind, reference_id, client_id, currency, amount_minor, lines, interval, url, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
        [
          checkoutSessionRow.id,
          checkoutSessionRow.provider,
          checkoutSessionRow.mode,
          checkoutSessionRow.reference.kind,
          checkoutSessionRow.reference.id,
          checkoutSessionRow.clientId,
          checkoutSessionRow.currency,
          checkoutSessionRow.amountMinor,
          JSON.stringify(checkoutSessionRow.lines),
          checkoutSessionRow.interval,
          checkoutSessionRow.url,
          checkoutSessionRow.status,
          checkoutSessionRow.createdAt,
        ],
      );
    },
    async find(id) {
      const result = await queryable.query<SessionRow>(
        'SELECT * FROM billing_checkout_sessions WHERE id = $1',
        [id],
      );
      return result.rows[0] ? toSession(result.rows[0]) : null;
    },
    async findByReference(ref) {
      const result = await queryable.query<SessionRow>(
        'SELECT * FROM billing_checkout_sessions WHERE reference_kind = $1 AND reference_id = $2',
        [ref.kind, ref.id],
      );
      return result.rows[0] ? toSession(result.rows[0]) : null;
    },
    async complete(id) {
      await queryable.query(
        "UPDATE billing_checkout_sessions SET status = 'complete' WHERE id = $1",
        [id],
      );
    },
    async expire(id) {
      await queryable.query(
        "UPDATE billing_checkout_sessions SET status = 'expired' WHERE id = $1 AND status = 'open'",
        [id],
      );
    },
  };
}
