import type { Queryable, Tx } from '../../../shared/db/db.js';
import type {
  BillingRepository,
  CheckoutSessionRow,
  DisputeRow,
  NewTransaction,
} from '../application/billing.repository.port.js';
import type {
  BillingLine,
  BillingReference,
  BillingTransaction,
  ProviderName,
  ReferenceKind,
  TransactionKind,
} from '../domain/billing.entity.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

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

export function createBillingRepository(): BillingRepository {
  return {
    async insertEvent(tx, event, source, at) {
      const r = await tx.query(
        'INSERT INTO billing_stripe_events (id, type, created_unix, livemode, payload, source, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id',
        [
          event.id,
          event.type,
          event.created,
          event.livemode === true,
          JSON.stringify(event),
          source,
          at,
        ],
      );
      return r.rowCount === 1;
    },
    async lockEvent(tx, id) {
      const r = await tx.query<{ payload: StripeEventLike; processed_at: Date | null }>(
        'SELECT payload, processed_at FROM billing_stripe_events WHERE id = $1 FOR UPDATE',
        [id],
      );
      const row = r.rows[0];
      return row ? { event: row.payload, processed: row.processed_at !== null } : null;
    },
    async markProcessed(tx, id, outcome, at) {
      await tx.query(
        'UPDATE billing_stripe_events SET processed_at = $2, outcome = $3 WHERE id = $1',
        [id, at, outcome],
      );
    },
    async knownEventIds(q, ids) {
      if (ids.length === 0) return new Set();
      const r = await q.query<{ id: string }>(
        'SELECT id FROM billing_stripe_events WHERE id = ANY($1::text[])',
        [ids],
      );
      return new Set(r.rows.map((x) => x.id));
    },
    async insertCheckoutSession(q, s) {
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
    async findCheckoutSession(q, id) {
      const r = await q.query<SessionRow>('SELECT * FROM billing_checkout_sessions WHERE id = $1', [
        id,
      ]);
      return r.rows[0] ? toSession(r.rows[0]) : null;
    },
    async findCheckoutSessionByReference(q, ref) {
      const r = await q.query<SessionRow>(
        'SELECT * FROM billing_checkout_sessions WHERE reference_kind = $1 AND reference_id = $2',
        [ref.kind, ref.id],
      );
      return r.rows[0] ? toSession(r.rows[0]) : null;
    },
    async completeCheckoutSession(tx, id) {
      await tx.query("UPDATE billing_checkout_sessions SET status = 'complete' WHERE id = $1", [
        id,
      ]);
    },
    async insertTransaction(tx: Tx, t: NewTransaction) {
      const r = await tx.query<{ id: string }>(
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
        const existing = await tx.query<{ id: string }>(
          'SELECT id FROM billing_transactions WHERE kind = $1 AND provider_ref = $2',
          [t.kind, t.providerRef],
        );
        return { id: existing.rows[0]!.id, inserted: false };
      }
      for (const [i, l] of t.lines.entries()) {
        await tx.query(
          'INSERT INTO billing_transaction_lines (transaction_id, line_no, description, quantity, unit_amount_minor, amount_minor) VALUES ($1, $2, $3, $4, $5, $6)',
          [t.id, i + 1, l.description, l.quantity, l.unitAmountMinor, l.amountMinor],
        );
      }
      return { id: t.id, inserted: true };
    },
    async findTransaction(q: Queryable, id) {
      const r = await q.query<TxRow>(`${TX_SELECT} WHERE t.id = $1`, [id]);
      return r.rows[0] ? toTransaction(r.rows[0]) : null;
    },
    async findTransactionByRef(q, kind, ref) {
      const r = await q.query<TxRow>(`${TX_SELECT} WHERE t.kind = $1 AND t.provider_ref = $2`, [
        kind,
        ref,
      ]);
      return r.rows[0] ? toTransaction(r.rows[0]) : null;
    },
    async listTransactions(q, after, limit) {
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
    async raiseRefundState(tx, s) {
      const r = await tx.query<{ amount_refunded: number }>(
        `INSERT INTO billing_refund_states (payment_intent, charge_id, amount_refunded, currency, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (payment_intent) DO UPDATE SET amount_refunded = GREATEST(billing_refund_states.amount_refunded, EXCLUDED.amount_refunded), updated_at = EXCLUDED.updated_at
         RETURNING amount_refunded`,
        [s.paymentIntent, s.chargeId, s.amountRefunded, s.currency, s.at],
      );
      return r.rows[0]!.amount_refunded;
    },
    async refundState(tx, paymentIntent) {
      const r = await tx.query<{ amount_refunded: number }>(
        'SELECT amount_refunded FROM billing_refund_states WHERE payment_intent = $1 FOR UPDATE',
        [paymentIntent],
      );
      return r.rows[0]?.amount_refunded ?? 0;
    },
    ...createAdjustmentQueries(),
  };
}

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

/** Invoice payments, disputes, refund requests and session expiry. */
function createAdjustmentQueries(): Pick<
  BillingRepository,
  | 'findPaidByPaymentIntent'
  | 'recordInvoicePayment'
  | 'invoicePayments'
  | 'saveDispute'
  | 'disputesOf'
  | 'expireCheckoutSession'
  | 'lockTransaction'
  | 'requestedRefunds'
  | 'insertRefundRequest'
  | 'finishRefundRequest'
> {
  return {
    async findPaidByPaymentIntent(q, pi) {
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
    async recordInvoicePayment(tx, p) {
      await tx.query(
        'INSERT INTO billing_invoice_payments (payment_intent, invoice_id, amount_paid, currency, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_intent) DO NOTHING',
        [p.paymentIntent, p.invoiceId, p.amountPaid, p.currency, p.at],
      );
    },
    async invoicePayments(q, invoiceId) {
      const r = await q.query<{ payment_intent: string; amount_paid: number }>(
        'SELECT payment_intent, amount_paid FROM billing_invoice_payments WHERE invoice_id = $1 ORDER BY recorded_at, payment_intent',
        [invoiceId],
      );
      return r.rows.map((x) => ({
        paymentIntent: x.payment_intent,
        amountPaid: Number(x.amount_paid),
      }));
    },
    async saveDispute(tx, d, at) {
      const prev = (
        await tx.query<{ status: string; state_at: number }>(
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
      await tx.query(
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
    async disputesOf(q, pi) {
      const r = await q.query<DisputeDbRow>(
        'SELECT * FROM billing_disputes WHERE payment_intent = $1 ORDER BY id',
        [pi],
      );
      return r.rows.map(toDispute);
    },
    async expireCheckoutSession(q, id) {
      await q.query(
        "UPDATE billing_checkout_sessions SET status = 'expired' WHERE id = $1 AND status = 'open'",
        [id],
      );
    },
    async lockTransaction(tx, id) {
      const r = await tx.query<TxRow>(`${TX_SELECT} WHERE t.id = $1 FOR UPDATE OF t`, [id]);
      return r.rows[0] ? toTransaction(r.rows[0]) : null;
    },
    async requestedRefunds(tx, transactionId) {
      const r = await tx.query<{ total: string }>(
        "SELECT COALESCE(SUM(amount_minor), 0)::bigint AS total FROM billing_refund_requests WHERE transaction_id = $1 AND status <> 'failed'",
        [transactionId],
      );
      return Number(r.rows[0]!.total);
    },
    async insertRefundRequest(tx, r) {
      await tx.query(
        "INSERT INTO billing_refund_requests (id, transaction_id, amount_minor, currency, reason, requested_by, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7)",
        [r.id, r.transactionId, r.amountMinor, r.currency, r.reason, r.requestedBy, r.createdAt],
      );
    },
    async finishRefundRequest(q, id, outcome) {
      await q.query(
        'UPDATE billing_refund_requests SET status = $2, provider_refund_id = $3 WHERE id = $1',
        [id, outcome.status, outcome.status === 'requested' ? outcome.providerRefundId : null],
      );
    },
  };
}
