import type { Plan } from '../domain/subscription.entity.js';

/** Subscription plans (the catalogue). Bound to a transaction or the pool by the unit of work. */
export interface PlanRepository {
  insert(plan: Plan): Promise<void>;
  find(id: string, options?: { forUpdate?: boolean }): Promise<Plan | null>;
  save(plan: Plan): Promise<void>;
  list(onlyActive: boolean): Promise<Plan[]>;
}
