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
const toTransaction = (txRow: TxRow): BillingTransaction => ({
  id: txRow.id,
  kind: txRow.kind,
  amountMinor: txRow.amount_minor,
  currency: txRow.currency,
  provider: txRow.provider,
  providerRef: txRow.provider_ref,
  reference:
    txRow.reference_kind && txRow.reference_id
      ? ({ kind: txRow.reference_kind, id: txRow.reference_id } satisfies BillingReference)
      : null,
  clientId: txRow.client_id,
  refundedMinor: txRow.refunded_minor,
  lines: txRow.lines ?? [],
  createdAt: txRow.created_at.toISOString(),
});

/** Records a transaction and its lines once; a repeat of (kind, provider ref) returns the first id. */
async function insertTransaction(
  queryable: Queryable,
  newTransaction: NewTransaction,
): Promise<{ id: string; inserted: boolean }> {
  const result = await queryable.query<{ id: string }>(
    `INSERT INTO billing_transactions (id, kind, amount_minor, currency, provider, provider_ref, refunds_transaction_id, reference_kind, reference_id, client_id, stripe_event_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (kind, provider_ref) DO NOTHING RETURNING id`,
    [
      newTransaction.id,
      newTransaction.kind,
      newTransaction.amountMinor,
      newTransaction.currency,
      newTransaction.provider,
      newTransaction.providerRef,
      newTransaction.refundsTransactionId,
      newTransaction.reference?.kind ?? null,
      newTransaction.reference?.id ?? null,
      newTransaction.clientId,
      newTransaction.stripeEventId,
      newTransaction.at,
    ],
  );
  if (result.rowCount === 0) {
    const existing = await queryable.query<{ id: string }>(
      'SELECT id FROM billing_transactions WHERE kind = $1 AND provider_ref = $2',
      [newTransaction.kind, newTransaction.providerRef],
    );
    return { id: existing.rows[0]!.id, inserted: false };
  }
  for (const [index, billingLine] of newTransaction.lines.entries()) {
    await queryable.query(
      'INSERT INTO billing_transaction_lines (transaction_id, line_no, description, quantity, unit_amount_minor, amount_minor) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        newTransaction.id,
        index + 1,
        billingLine.description,
        billingLine.quantity,
        billingLine.unitAmountMinor,
        billingLine.amountMinor,
      ],
    );
  }
  return { id: newTransaction.id, inserted: true };
}

/** The money ledger on `q`: a transaction or the pool, as the unit of work binds it. */
export function createBillingTransactionRepository(
  queryable: Queryable,
): BillingTransactionRepository {
  return {
    insert: (newTransaction: NewTransaction) => insertTransaction(queryable, newTransaction),
    async find(id) {
      const result = await queryable.query<TxRow>(`${TX_SELECT} WHERE t.id = $1`, [id]);
      return result.rows[0] ? toTransaction(result.rows[0]) : null;
    },
    async findByRef(kind, ref) {
      const result = await queryable.query<TxRow>(
        `${TX_SELECT} WHERE t.kind = $1 AND t.provider_ref = $2`,
        [kind, ref],
      );
      return result.rows[0] ? toTransaction(result.rows[0]) : null;
    },
    async list(after, limit) {
      const result = after
        ? await queryable.query<TxRow>(
            `${TX_SELECT} WHERE (t.created_at, t.id) < ($1::timestamptz, $2::uuid) ORDER BY t.created_at DESC, t.id DESC LIMIT $3`,
            [after.createdAt, after.id, limit],
          )
        : await queryable.query<TxRow>(
            `${TX_SELECT} ORDER BY t.created_at DESC, t.id DESC LIMIT $1`,
            [limit],
          );
      return result.rows.map(toTransaction);
    },
    async lock(id) {
      const result = await queryable.query<TxRow>(`${TX_SELECT} WHERE t.id = $1 FOR UPDATE OF t`, [
        id,
      ]);
      return result.rows[0] ? toTransaction(result.rows[0]) : null;
    },
    async findPaidBy(pi) {
      const payment = await queryable.query<TxRow>(
        `${TX_SELECT} WHERE t.kind = 'payment' AND t.provider_ref = $1`,
        [pi],
      );
      if (payment.rows[0]) return { transaction: toTransaction(payment.rows[0]), invoiceId: null };
      const invoice = await queryable.query<TxRow>(
        `${TX_SELECT} WHERE t.kind = 'invoice' AND t.provider_ref = (SELECT invoice_id FROM billing_invoice_payments WHERE payment_intent = $1)`,
        [pi],
      );
      return invoice.rows[0]
        ? { transaction: toTransaction(invoice.rows[0]), invoiceId: invoice.rows[0].provider_ref }
        : null;
    },
  };
}
