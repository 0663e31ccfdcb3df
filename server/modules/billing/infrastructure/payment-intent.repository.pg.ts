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
const toDispute = (disputeDbRow: DisputeDbRow): DisputeRow => ({
  id: disputeDbRow.id,
  paymentIntent: disputeDbRow.payment_intent,
  chargeId: disputeDbRow.charge_id,
  amountMinor: disputeDbRow.amount_minor,
  currency: disputeDbRow.currency,
  status: disputeDbRow.status,
  reason: disputeDbRow.reason,
  stateAt: Number(disputeDbRow.state_at),
});

/** What the provider reported per payment intent on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPaymentIntentRepository(queryable: Queryable): PaymentIntentRepository {
  return {
    async raiseRefunded(text) {
      const result = await queryable.query<{ amount_refunded: number }>(
        `INSERT INTO billing_refund_states (payment_intent, charge_id, amount_refunded, currency, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (payment_intent) DO UPDATE SET amount_refunded = GREATEST(billing_refund_states.amount_refunded, EXCLUDED.amount_refunded), updated_at = EXCLUDED.updated_at
         RETURNING amount_refunded`,
        [text.paymentIntent, text.chargeId, text.amountRefunded, text.currency, text.at],
      );
      return result.rows[0]!.amount_refunded;
    },
    async refunded(paymentIntent) {
      const result = await queryable.query<{ amount_refunded: number }>(
        'SELECT amount_refunded FROM billing_refund_states WHERE payment_intent = $1 FOR UPDATE',
        [paymentIntent],
      );
      return result.rows[0]?.amount_refunded ?? 0;
    },
    async recordInvoicePayment(part) {
      await queryable.query(
        'INSERT INTO billing_invoice_payments (payment_intent, invoice_id, amount_paid, currency, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_intent) DO NOTHING',
        [part.paymentIntent, part.invoiceId, part.amountPaid, part.currency, part.at],
      );
    },
    async invoicePayments(invoiceId) {
      const result = await queryable.query<{ payment_intent: string; amount_paid: number }>(
        'SELECT payment_intent, amount_paid FROM billing_invoice_payments WHERE invoice_id = $1 ORDER BY recorded_at, payment_intent',
        [invoiceId],
      );
      return result.rows.map((row) => ({
        paymentIntent: row.payment_intent,
        amountPaid: Number(row.amount_paid),
      }));
    },
    async saveDispute(disputeRow, at) {
      const prev = (
        await queryable.query<{ status: string; state_at: number }>(
          'SELECT status, state_at FROM billing_disputes WHERE id = $1 FOR UPDATE',
          [disputeRow.id],
        )
      ).rows[0];
      // Newest wins; at the same second a closing state beats an open one.
      const newer =
        !prev ||
        disputeRow.stateAt > Number(prev.state_at) ||
        (disputeRow.stateAt === Number(prev.state_at) &&
          disputeRow.status !== prev.status &&
          ['won', 'lost', 'warning_closed', 'prevented'].includes(disputeRow.status));
      if (!newer) return { applied: false, previousStatus: prev.status };
      await queryable.query(
        `INSERT INTO billing_disputes (id, payment_intent, charge_id, amount_minor, currency, status, reason, state_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET amount_minor = EXCLUDED.amount_minor, status = EXCLUDED.status, reason = EXCLUDED.reason, state_at = EXCLUDED.state_at, updated_at = EXCLUDED.updated_at`,
        [
          disputeRow.id,
          disputeRow.paymentIntent,
          disputeRow.chargeId,
          disputeRow.amountMinor,
          disputeRow.currency,
          disputeRow.status,
          disputeRow.reason,
          disputeRow.stateAt,
          at,
        ],
      );
      return { applied: true, previousStatus: prev?.status ?? null };
    },
    async disputesOf(pi) {
      const result = await queryable.query<DisputeDbRow>(
        'SELECT * FROM billing_disputes WHERE payment_intent = $1 ORDER BY id',
        [pi],
      );
      return result.rows.map(toDispute);
    },
  };
}
