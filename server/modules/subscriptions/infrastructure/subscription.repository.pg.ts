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
const toSub = (subRow: SubRow): Subscription => ({
  id: subRow.id,
  planId: subRow.plan_id,
  clientId: subRow.client_id,
  mealsPerInterval: subRow.meals_per_interval,
  priceMinor: subRow.price_minor,
  status: subRow.status,
  cancelAtPeriodEnd: subRow.cancel_at_period_end,
  currentPeriodEnd: subRow.current_period_end?.toISOString() ?? null,
  providerSubscriptionId: subRow.provider_subscription_id,
  providerStateAt: subRow.provider_state_at,
  createdAt: subRow.created_at.toISOString(),
  updatedAt: subRow.updated_at.toISOString(),
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
export function createSubscriptionRepository(queryable: Queryable): SubscriptionRepository {
  const lockWhere = async (where: string, value: string) => {
    const result = await queryable.query<SubRow>(
      `SELECT * FROM subscriptions WHERE ${where} = $1 FOR UPDATE`,
      [value],
    );
    return result.rows[0] ? toSub(result.rows[0]) : null;
  };
  return {
    async insert(subscription) {
      await queryable.query(
        'INSERT INTO subscriptions (id, plan_id, client_id, meals_per_interval, price_minor, status, cancel_at_period_end, current_period_end, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [
          subscription.id,
          subscription.planId,
          subscription.clientId,
          subscription.mealsPerInterval,
          subscription.priceMinor,
          subscription.status,
          subscription.cancelAtPeriodEnd,
          subscription.currentPeriodEnd,
          subscription.createdAt,
          subscription.updatedAt,
        ],
      );
    },
    async setCheckoutSession(id, sessionId) {
      await queryable.query('UPDATE subscriptions SET checkout_session_id = $2 WHERE id = $1', [
        id,
        sessionId,
      ]);
    },
    async find(id) {
      const result = await queryable.query<SubRow>('SELECT * FROM subscriptions WHERE id = $1', [
        id,
      ]);
      return result.rows[0] ? toSub(result.rows[0]) : null;
    },
    lock: (id) => lockWhere('id', id),
    lockByProviderId: (pid) => lockWhere('provider_subscription_id', pid),
    async save(subscription) {
      await queryable.query(
        'UPDATE subscriptions SET status = $2, cancel_at_period_end = $3, current_period_end = $4, provider_subscription_id = $5, provider_state_at = $6, updated_at = $7 WHERE id = $1',
        [
          subscription.id,
          subscription.status,
          subscription.cancelAtPeriodEnd,
          subscription.currentPeriodEnd,
          subscription.providerSubscriptionId,
          subscription.providerStateAt,
          subscription.updatedAt,
        ],
      );
    },
    async listOf(clientId) {
      const result = await queryable.query<SubRow>(
        'SELECT * FROM subscriptions WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
        [clientId],
      );
      return result.rows.map(toSub);
    },
    ...transitionQueries(queryable),
  };
}

/** The audit trail of a subscription's status: part of the subscription, in its own table. */
function transitionQueries(
  queryable: Queryable,
): Pick<SubscriptionRepository, 'insertTransition' | 'transitions' | 'wasActive'> {
  return {
    async insertTransition(subscriptionTransition) {
      await queryable.query(
        'INSERT INTO subscription_transitions (id, subscription_id, from_status, to_status, cancel_at_period_end, changed_by, changed_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          subscriptionTransition.id,
          subscriptionTransition.subscriptionId,
          subscriptionTransition.from,
          subscriptionTransition.to,
          subscriptionTransition.cancelAtPeriodEnd,
          subscriptionTransition.changedBy,
          subscriptionTransition.changedAt,
          subscriptionTransition.reason,
        ],
      );
    },
    async transitions(subscriptionId) {
      const result = await queryable.query<TransitionRow>(
        'SELECT * FROM subscription_transitions WHERE subscription_id = $1 ORDER BY changed_at, id',
        [subscriptionId],
      );
      return result.rows.map((row) => ({
        id: row.id,
        subscriptionId: row.subscription_id,
        from: row.from_status,
        to: row.to_status,
        cancelAtPeriodEnd: row.cancel_at_period_end,
        changedBy: row.changed_by,
        changedAt: row.changed_at.toISOString(),
        reason: row.reason,
      }));
    },
    async wasActive(subscriptionId) {
      const result = await queryable.query(
        "SELECT 1 FROM subscription_transitions WHERE subscription_id = $1 AND to_status = 'active' LIMIT 1",
        [subscriptionId],
      );
      return result.rowCount === 1;
    },
  };
}
