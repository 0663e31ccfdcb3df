import type { Queryable } from '../../../shared/db/db.js';
import type { SubscriptionsRepository } from '../application/subscriptions.repository.port.js';
import type {
  InvoiceGrant,
  Plan,
  Subscription,
  SubscriptionTransition,
} from '../domain/subscription.entity.js';
import type { SubscriptionStatus } from '../domain/subscription-status.js';

type PlanRow = {
  id: string;
  name: string;
  description: string | null;
  interval: Plan['interval'];
  meals_per_interval: number;
  price_minor: number;
  currency: string;
  status: Plan['status'];
  created_at: Date;
  updated_at: Date;
};
const toPlan = (r: PlanRow): Plan => ({
  id: r.id,
  name: r.name,
  description: r.description,
  interval: r.interval,
  mealsPerInterval: r.meals_per_interval,
  priceMinor: r.price_minor,
  currency: r.currency,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
type SubRow = {
  id: string;
  plan_id: string;
  client_id: string;
  meals_per_interval: number;
  price_minor: number;
  status: SubscriptionStatus;
  cancel_at_period_end: boolean;
  current_period_end: Date | null;
  provider_subscription_id: string | null;
  provider_state_at: number;
  created_at: Date;
  updated_at: Date;
};
const toSub = (r: SubRow): Subscription => ({
  id: r.id,
  planId: r.plan_id,
  clientId: r.client_id,
  mealsPerInterval: r.meals_per_interval,
  priceMinor: r.price_minor,
  status: r.status,
  cancelAtPeriodEnd: r.cancel_at_period_end,
  currentPeriodEnd: r.current_period_end?.toISOString() ?? null,
  providerSubscriptionId: r.provider_subscription_id,
  providerStateAt: r.provider_state_at,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
type TransitionRow = {
  id: string;
  subscription_id: string;
  from_status: SubscriptionStatus | null;
  to_status: SubscriptionStatus;
  cancel_at_period_end: boolean;
  changed_by: string;
  changed_at: Date;
  reason: string;
};

export function createSubscriptionsRepository(): SubscriptionsRepository {
  const lockWhere = async (q: Queryable, where: string, v: string) => {
    const r = await q.query<SubRow>(`SELECT * FROM subscriptions WHERE ${where} = $1 FOR UPDATE`, [
      v,
    ]);
    return r.rows[0] ? toSub(r.rows[0]) : null;
  };
  return {
    async insertPlan(q, p) {
      await q.query(
        'INSERT INTO subscription_plans (id, name, description, interval, meals_per_interval, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [
          p.id,
          p.name,
          p.description,
          p.interval,
          p.mealsPerInterval,
          p.priceMinor,
          p.currency,
          p.status,
          p.createdAt,
          p.updatedAt,
        ],
      );
    },
    async findPlan(q, id, lock = false) {
      const r = await q.query<PlanRow>(
        `SELECT * FROM subscription_plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return r.rows[0] ? toPlan(r.rows[0]) : null;
    },
    async savePlan(q, p) {
      await q.query(
        'UPDATE subscription_plans SET name = $2, description = $3, meals_per_interval = $4, price_minor = $5, status = $6, updated_at = $7 WHERE id = $1',
        [p.id, p.name, p.description, p.mealsPerInterval, p.priceMinor, p.status, p.updatedAt],
      );
    },
    async listPlans(q, onlyActive) {
      // The contract bounds the list (PlanList, Catalogue: maxItems 500); there is no paging.
      const r = await q.query<PlanRow>(
        onlyActive
          ? "SELECT * FROM subscription_plans WHERE status = 'active' ORDER BY price_minor, name LIMIT 500"
          : 'SELECT * FROM subscription_plans ORDER BY created_at DESC, id DESC LIMIT 500',
      );
      return r.rows.map(toPlan);
    },
    async insertSubscription(q, s) {
      await q.query(
        'INSERT INTO subscriptions (id, plan_id, client_id, meals_per_interval, price_minor, status, cancel_at_period_end, current_period_end, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [
          s.id,
          s.planId,
          s.clientId,
          s.mealsPerInterval,
          s.priceMinor,
          s.status,
          s.cancelAtPeriodEnd,
          s.currentPeriodEnd,
          s.createdAt,
          s.updatedAt,
        ],
      );
    },
    async setCheckoutSession(q, id, sessionId) {
      await q.query('UPDATE subscriptions SET checkout_session_id = $2 WHERE id = $1', [
        id,
        sessionId,
      ]);
    },
    async findSubscription(q, id) {
      const r = await q.query<SubRow>('SELECT * FROM subscriptions WHERE id = $1', [id]);
      return r.rows[0] ? toSub(r.rows[0]) : null;
    },
    lockSubscription: (tx, id) => lockWhere(tx, 'id', id),
    lockByProviderId: (tx, pid) => lockWhere(tx, 'provider_subscription_id', pid),
    async saveSubscription(tx, s) {
      await tx.query(
        'UPDATE subscriptions SET status = $2, cancel_at_period_end = $3, current_period_end = $4, provider_subscription_id = $5, provider_state_at = $6, updated_at = $7 WHERE id = $1',
        [
          s.id,
          s.status,
          s.cancelAtPeriodEnd,
          s.currentPeriodEnd,
          s.providerSubscriptionId,
          s.providerStateAt,
          s.updatedAt,
        ],
      );
    },
    async listSubscriptions(q, clientId) {
      const r = await q.query<SubRow>(
        'SELECT * FROM subscriptions WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
        [clientId],
      );
      return r.rows.map(toSub);
    },
    async insertTransition(tx, t) {
      await tx.query(
        'INSERT INTO subscription_transitions (id, subscription_id, from_status, to_status, cancel_at_period_end, changed_by, changed_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          t.id,
          t.subscriptionId,
          t.from,
          t.to,
          t.cancelAtPeriodEnd,
          t.changedBy,
          t.changedAt,
          t.reason,
        ],
      );
    },
    async transitions(q, subscriptionId) {
      const r = await q.query<TransitionRow>(
        'SELECT * FROM subscription_transitions WHERE subscription_id = $1 ORDER BY changed_at, id',
        [subscriptionId],
      );
      return r.rows.map((x) => ({
        id: x.id,
        subscriptionId: x.subscription_id,
        from: x.from_status,
        to: x.to_status,
        cancelAtPeriodEnd: x.cancel_at_period_end,
        changedBy: x.changed_by,
        changedAt: x.changed_at.toISOString(),
        reason: x.reason,
      }));
    },
    ...createGrantQueries(),
  };
}

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

/** Invoice grants: what each paid invoice bought and holds. */
function createGrantQueries(): Pick<
  SubscriptionsRepository,
  'claimInvoice' | 'lockGrant' | 'saveGrant' | 'wasActive'
> {
  return {
    async claimInvoice(tx, g, at) {
      const r = await tx.query(
        'INSERT INTO subscription_invoice_grants (invoice_id, subscription_id, credits, paid_minor, credits_held, credit_entries, granted_at) VALUES ($1, $2, $3, $4, 0, 0, $5) ON CONFLICT (invoice_id) DO NOTHING',
        [g.invoiceId, g.subscriptionId, g.credits, g.paidMinor, at],
      );
      return r.rowCount === 1;
    },
    async lockGrant(tx, invoiceId) {
      const r = await tx.query<GrantRow>(
        'SELECT g.*, s.client_id FROM subscription_invoice_grants g JOIN subscriptions s ON s.id = g.subscription_id WHERE g.invoice_id = $1 FOR UPDATE OF g',
        [invoiceId],
      );
      return r.rows[0] ? toGrant(r.rows[0]) : null;
    },
    async saveGrant(tx, g) {
      await tx.query(
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
    async wasActive(q, subscriptionId) {
      const r = await q.query(
        "SELECT 1 FROM subscription_transitions WHERE subscription_id = $1 AND to_status = 'active' LIMIT 1",
        [subscriptionId],
      );
      return r.rowCount === 1;
    },
  };
}
