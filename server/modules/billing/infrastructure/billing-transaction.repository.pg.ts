import type { Queryable } from '../../../shared/db/db.js';
import type {
  BillingTransactionRepository,
  NewTransaction,
} from '../application/billing-transaction.repository.port.js';
import type {
  BillingLine,
  BillingReference,
  BillingTransaction,
  ProviderName,
  ReferenceKind,
  TransactionKind,
} from '../domain/billing.entity.js';

type TxRow = {
  id: string;
  kind: TransactionKind;
  amount_minor: number;
  currency: string;
  provider: ProviderName;
  provider_ref: string;
  reference_kind: ReferenceKind | null;
  reference_id: string | null;
  client_id: string | null;
  created_at: Date;
  refunded_minor: number;
  lines: BillingLine[] | null;
};
const TX_SELECT = `SELECT t.id, t.kind, t.amount_minor, t.currency, t.provider, t.provider_ref, t.reference_kind, t.reference_id, t.client_id, t.created_at,
  COALESCE((SELECT SUM(r.amount_minor) FROM billing_transactions r WHERE r.refunds_transaction_id = t.id), 0)::bigint AS refunded_minor,
  (SELECT json_agg(json_build_object('description', l.description, 'quantity', l.quantity, 'unitAmountMinor', l.unit_amount_minor, 'amountMinor', l.amount_minor) ORDER BY l.line_no)
     FROM billing_transaction_lines l WHERE l.transaction_id = t.id) AS lines
  FROM billing_transactions t`;
const toTransaction = (r: TxRow): BillingTransaction => ({
  id: r.id,
  kind: r.kind,
  amountMinor: r.amount_minor,
  currency: r.currency,
  provider: r.provider,
  providerRef: r.provider_ref,
  reference:
    r.reference_kind && r.reference_id
      ? ({ kind: r.reference_kind, id: r.reference_id } satisfies BillingReference)
      : null,
  clientId: r.client_id,
  refundedMinor: r.refunded_minor,
  lines: r.lines ?? [],
  createdAt: r.created_at.toISOString(),
});

/** The money ledger on `q`: a transaction or the pool, as the unit of work binds it. */
export function createBillingTransactionRepository(q: Queryable): BillingTransactionRepository {
  return {
    async insert(t: NewTransaction) {
      const r = await q.query<{ id: string }>(
        `INSERT INTO billing_transactions (id, kind, amount_minor, currency, provider, provider_ref, refunds_transaction_id, reference_kind, reference_id, client_id, stripe_event_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (kind, provider_ref) DO NOTHING RETURNING id`,
        [
          t.id,
          t.kind,
          t.amountMinor,
          t.currency,
          t.provider,
          t.providerRef,
          t.refundsTransactionId,
          t.reference?.kind ?? null,
          t.reference?.id ?? null,
          t.clientId,
          t.stripeEventId,
          t.at,
        ],
      );
      if (r.rowCount === 0) {
        const existing = await q.query<{ id: string }>(
          'SELECT id FROM billing_transactions WHERE kind = $1 AND provider_ref = $2',
          [t.kind, t.providerRef],
        );
        return { id: existing.rows[0]!.id, inserted: false };
      }
      for (const [i, l] of t.lines.entries()) {
        await q.query(
          'INSERT INTO billing_transaction_lines (transaction_id, line_no, description, quantity, unit_amount_minor, amount_minor) VALUES ($1, $2, $3, $4, $5, $6)',
          [t.id, i + 1, l.description, l.quantity, l.unitAmountMinor, l.amountMinor],
        );
      }
      return { id: t.id, inserted: true };
    },
    async find(id) {
      const r = await q.query<TxRow>(`${TX_SELECT} WHERE t.id = $1`, [id]);
      return r.rows[0] ? toTransaction(r.rows[0]) : null;
    },
    async findByRef(kind, ref) {
      const r = await q.query<TxRow>(`${TX_SELECT} WHERE t.kind = $1 AND t.provider_ref = $2`, [
        kind,
        ref,
      ]);
      return r.rows[0] ? toTransaction(r.rows[0]) : null;
    },
    async list(after, limit) {
      const r = after
        ? await q.query<TxRow>(
            `${TX_SELECT} WHERE (t.created_at, t.id) < ($1::timestamptz, $2::uuid) ORDER BY t.created_at DESC, t.id DESC LIMIT $3`,
            [after.createdAt, after.id, limit],
          )
        : await q.query<TxRow>(`${TX_SELECT} ORDER BY t.created_at DESC, t.id DESC LIMIT $1`, [
            limit,
          ]);
      return r.rows.map(toTransaction);
    },
    async lock(id) {
      const r = await q.query<TxRow>(`${TX_SELECT} WHERE t.id = $1 FOR UPDATE OF t`, [id]);
      return r.rows[0] ? toTransaction(r.rows[0]) : null;
    },
    async findPaidBy(pi) {
      const payment = await q.query<TxRow>(
        `${TX_SELECT} WHERE t.kind = 'payment' AND t.provider_ref = $1`,
        [pi],
      );
      if (payment.rows[0]) return { transaction: toTransaction(payment.rows[0]), invoiceId: null };
      const invoice = await q.query<TxRow>(
        `${TX_SELECT} WHERE t.kind = 'invoice' AND t.provider_ref = (SELECT invoice_id FROM billing_invoice_payments WHERE payment_intent = $1)`,
        [pi],
      );
      return invoice.rows[0]
        ? { transaction: toTransaction(invoice.rows[0]), invoiceId: invoice.rows[0].provider_ref }
        : null;
    },
  };
}
