import type { Queryable } from '../../../shared/db/db.js';
import type { PlanRepository } from '../application/plan.repository.port.js';
import type { Plan } from '../domain/subscription.entity.js';

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
const toPlan = (planRow: PlanRow): Plan => ({
  id: planRow.id,
  name: planRow.name,
  description: planRow.description,
  interval: planRow.interval,
  mealsPerInterval: planRow.meals_per_interval,
  priceMinor: planRow.price_minor,
  currency: planRow.currency,
  status: planRow.status,
  createdAt: planRow.created_at.toISOString(),
  updatedAt: planRow.updated_at.toISOString(),
});

/** Subscription plans on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPlanRepository(queryable: Queryable): PlanRepository {
  return {
    async insert(plan) {
      await queryable.query(
        'INSERT INTO subscription_plans (id, name, description, interval, meals_per_interval, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [
          plan.id,
          plan.name,
          plan.description,
          plan.interval,
          plan.mealsPerInterval,
          plan.priceMinor,
          plan.currency,
          plan.status,
          plan.createdAt,
          plan.updatedAt,
        ],
      );
    },
    async find(id, options = {}) {
      const result = await queryable.query<PlanRow>(
        `SELECT * FROM subscription_plans WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return result.rows[0] ? toPlan(result.rows[0]) : null;
    },
    async save(plan) {
      await queryable.query(
        'UPDATE subscription_plans SET name = $2, description = $3, meals_per_interval = $4, price_minor = $5, status = $6, updated_at = $7 WHERE id = $1',
        [
          plan.id,
          plan.name,
          plan.description,
          plan.mealsPerInterval,
          plan.priceMinor,
          plan.status,
          plan.updatedAt,
        ],
      );
    },
    async list(onlyActive) {
      // The contract bounds the list (PlanList, Catalogue: maxItems 500); there is no paging.
      const result = await queryable.query<PlanRow>(
        onlyActive
          ? "SELECT * FROM subscription_plans WHERE status = 'active' ORDER BY price_minor, name LIMIT 500"
          : 'SELECT * FROM subscription_plans ORDER BY created_at DESC, id DESC LIMIT 500',
      );
      return result.rows.map(toPlan);
    },
  };
}
