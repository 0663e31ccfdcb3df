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

/** Subscription plans on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPlanRepository(q: Queryable): PlanRepository {
  return {
    async insert(p) {
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
    async find(id, options = {}) {
      const r = await q.query<PlanRow>(
        `SELECT * FROM subscription_plans WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return r.rows[0] ? toPlan(r.rows[0]) : null;
    },
    async save(p) {
      await q.query(
        'UPDATE subscription_plans SET name = $2, description = $3, meals_per_interval = $4, price_minor = $5, status = $6, updated_at = $7 WHERE id = $1',
        [p.id, p.name, p.description, p.mealsPerInterval, p.priceMinor, p.status, p.updatedAt],
      );
    },
    async list(onlyActive) {
      // The contract bounds the list (PlanList, Catalogue: maxItems 500); there is no paging.
      const r = await q.query<PlanRow>(
        onlyActive
          ? "SELECT * FROM subscription_plans WHERE status = 'active' ORDER BY price_minor, name LIMIT 500"
          : 'SELECT * FROM subscription_plans ORDER BY created_at DESC, id DESC LIMIT 500',
      );
      return r.rows.map(toPlan);
    },
  };
}
