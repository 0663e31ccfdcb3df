import type { Queryable } from '../../../shared/db/db.js';
import type {
  DisputeRow,
  PaymentIntentRepository,
} from '../application/payment-intent.repository.port.js';

type DisputeDbRow = {
  id: string;
  payment_intent: string;
  charge_id: string;
  amount_minor: number;
  currency: string;
  status: string;
  reason: string | null;
  state_at: number;
};
const toDispute = (r: DisputeDbRow): DisputeRow => ({
  id: r.id,
  paymentIntent: r.payment_intent,
  chargeId: r.charge_id,
  amountMinor: r.amount_minor,
  currency: r.currency,
  status: r.status,
  reason: r.reason,
  stateAt: Number(r.state_at),
});

/** What the provider reported per payment intent on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPaymentIntentRepository(q: Queryable): PaymentIntentRepository {
  return {
    async raiseRefunded(s) {
      const r = await q.query<{ amount_refunded: number }>(
        `INSERT INTO billing_refund_states (payment_intent, charge_id, amount_refunded, currency, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (payment_intent) DO UPDATE SET amount_refunded = GREATEST(billing_refund_states.amount_refunded, EXCLUDED.amount_refunded), updated_at = EXCLUDED.updated_at
         RETURNING amount_refunded`,
        [s.paymentIntent, s.chargeId, s.amountRefunded, s.currency, s.at],
      );
      return r.rows[0]!.amount_refunded;
    },
    async refunded(paymentIntent) {
      const r = await q.query<{ amount_refunded: number }>(
        'SELECT amount_refunded FROM billing_refund_states WHERE payment_intent = $1 FOR UPDATE',
        [paymentIntent],
      );
      return r.rows[0]?.amount_refunded ?? 0;
    },
    async recordInvoicePayment(p) {
      await q.query(
        'INSERT INTO billing_invoice_payments (payment_intent, invoice_id, amount_paid, currency, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_intent) DO NOTHING',
        [p.paymentIntent, p.invoiceId, p.amountPaid, p.currency, p.at],
      );
    },
    async invoicePayments(invoiceId) {
      const r = await q.query<{ payment_intent: string; amount_paid: number }>(
        'SELECT payment_intent, amount_paid FROM billing_invoice_payments WHERE invoice_id = $1 ORDER BY recorded_at, payment_intent',
        [invoiceId],
      );
      return r.rows.map((x) => ({
        paymentIntent: x.payment_intent,
        amountPaid: Number(x.amount_paid),
      }));
    },
    async saveDispute(d, at) {
      const prev = (
        await q.query<{ status: string; state_at: number }>(
          'SELECT status, state_at FROM billing_disputes WHERE id = $1 FOR UPDATE',
          [d.id],
        )
      ).rows[0];
      // Newest wins; at the same second a closing state beats an open one.
      const newer =
        !prev ||
        d.stateAt > Number(prev.state_at) ||
        (d.stateAt === Number(prev.state_at) &&
          d.status !== prev.status &&
          ['won', 'lost', 'warning_closed', 'prevented'].includes(d.status));
      if (!newer) return { applied: false, previousStatus: prev.status };
      await q.query(
        `INSERT INTO billing_disputes (id, payment_intent, charge_id, amount_minor, currency, status, reason, state_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET amount_minor = EXCLUDED.amount_minor, status = EXCLUDED.status, reason = EXCLUDED.reason, state_at = EXCLUDED.state_at, updated_at = EXCLUDED.updated_at`,
        [
          d.id,
          d.paymentIntent,
          d.chargeId,
          d.amountMinor,
          d.currency,
          d.status,
          d.reason,
          d.stateAt,
          at,
        ],
      );
      return { applied: true, previousStatus: prev?.status ?? null };
    },
    async disputesOf(pi) {
      const r = await q.query<DisputeDbRow>(
        'SELECT * FROM billing_disputes WHERE payment_intent = $1 ORDER BY id',
        [pi],
      );
      return r.rows.map(toDispute);
    },
  };
}
