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
const toSession = (r: SessionRow): CheckoutSessionRow => ({
  id: r.id,
  provider: r.provider,
  mode: r.mode,
  reference: { kind: r.reference_kind, id: r.reference_id },
  clientId: r.client_id,
  currency: r.currency,
  amountMinor: r.amount_minor,
  lines: r.lines,
  interval: r.interval,
  url: r.url,
  status: r.status,
  createdAt: r.created_at.toISOString(),
});

/** Checkout sessions on `q`: a transaction or the pool, as the unit of work binds it. */
export function createCheckoutSessionRepository(q: Queryable): CheckoutSessionRepository {
  return {
    async insert(s) {
      await q.query(
        `INSERT INTO billing_checkout_sessions (id, provider, mode, reference_kind, reference_id, client_id, currency, amount_minor, lines, interval, url, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
        [
          s.id,
          s.provider,
          s.mode,
          s.reference.kind,
          s.reference.id,
          s.clientId,
          s.currency,
          s.amountMinor,
          JSON.stringify(s.lines),
          s.interval,
          s.url,
          s.status,
          s.createdAt,
        ],
      );
    },
    async find(id) {
      const r = await q.query<SessionRow>('SELECT * FROM billing_checkout_sessions WHERE id = $1', [
        id,
      ]);
      return r.rows[0] ? toSession(r.rows[0]) : null;
    },
    async findByReference(ref) {
      const r = await q.query<SessionRow>(
        'SELECT * FROM billing_checkout_sessions WHERE reference_kind = $1 AND reference_id = $2',
        [ref.kind, ref.id],
      );
      return r.rows[0] ? toSession(r.rows[0]) : null;
    },
    async complete(id) {
      await q.query("UPDATE billing_checkout_sessions SET status = 'complete' WHERE id = $1", [id]);
    },
    async expire(id) {
      await q.query(
        "UPDATE billing_checkout_sessions SET status = 'expired' WHERE id = $1 AND status = 'open'",
        [id],
      );
    },
  };
}
