import type { Queryable } from '../../../shared/db/db.js';
import type { SubscriptionRepository } from '../application/subscription.repository.port.js';
import type { Subscription } from '../domain/subscription.entity.js';
import type { SubscriptionStatus } from '../domain/subscription-status.js';

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

/** Subscriptions and their transitions on `q`: a transaction or the pool, as the unit of work binds it. */
export function createSubscriptionRepository(q: Queryable): SubscriptionRepository {
  const lockWhere = async (where: string, v: string) => {
    const r = await q.query<SubRow>(`SELECT * FROM subscriptions WHERE ${where} = $1 FOR UPDATE`, [
      v,
    ]);
    return r.rows[0] ? toSub(r.rows[0]) : null;
  };
  return {
    async insert(s) {
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
    async setCheckoutSession(id, sessionId) {
      await q.query('UPDATE subscriptions SET checkout_session_id = $2 WHERE id = $1', [
        id,
        sessionId,
      ]);
    },
    async find(id) {
      const r = await q.query<SubRow>('SELECT * FROM subscriptions WHERE id = $1', [id]);
      return r.rows[0] ? toSub(r.rows[0]) : null;
    },
    lock: (id) => lockWhere('id', id),
    lockByProviderId: (pid) => lockWhere('provider_subscription_id', pid),
    async save(s) {
      await q.query(
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
    async listOf(clientId) {
      const r = await q.query<SubRow>(
        'SELECT * FROM subscriptions WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
        [clientId],
      );
      return r.rows.map(toSub);
    },
    ...transitionQueries(q),
  };
}

/** The audit trail of a subscription's status: part of the subscription, in its own table. */
function transitionQueries(
  q: Queryable,
): Pick<SubscriptionRepository, 'insertTransition' | 'transitions' | 'wasActive'> {
  return {
    async insertTransition(t) {
      await q.query(
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
    async transitions(subscriptionId) {
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
    async wasActive(subscriptionId) {
      const r = await q.query(
        "SELECT 1 FROM subscription_transitions WHERE subscription_id = $1 AND to_status = 'active' LIMIT 1",
        [subscriptionId],
      );
      return r.rowCount === 1;
    },
  };
}
