import { randomUUID } from 'node:crypto';
import type { Db } from '../../../shared/db/db.js';
import type { Plan } from '../domain/subscription.entity.js';
import { PlanNotFound, PlanRetired } from '../domain/subscriptions.errors.js';
import type { SubscriptionsRepository } from './subscriptions.repository.port.js';

export interface CreatePlan {
  name: string;
  description?: string;
  interval: 'week' | 'month';
  mealsPerInterval: number;
  priceMinor: number;
  currency: string;
}
export type UpdatePlan = Partial<{
  name: string;
  description: string | null;
  mealsPerInterval: number;
  priceMinor: number;
}>;

export async function createPlan(
  deps: { db: Db; repo: SubscriptionsRepository },
  cmd: CreatePlan,
  now: Date,
): Promise<Plan> {
  const at = now.toISOString();
  const plan: Plan = {
    id: randomUUID(),
    name: cmd.name.trim(),
    description: cmd.description?.trim() || null,
    interval: cmd.interval,
    mealsPerInterval: cmd.mealsPerInterval,
    priceMinor: cmd.priceMinor,
    currency: cmd.currency,
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
  await deps.repo.insertPlan(deps.db, plan);
  return plan;
}

/** Edits apply to new subscriptions: each subscription keeps the meals it started with. */
export function updatePlan(
  deps: { db: Db; repo: SubscriptionsRepository },
  id: string,
  cmd: UpdatePlan,
  now: Date,
): Promise<Plan> {
  return deps.db.tx(async (tx) => {
    const plan = await deps.repo.findPlan(tx, id, true);
    if (!plan) throw new PlanNotFound();
    if (plan.status === 'retired') throw new PlanRetired();
    const next: Plan = { ...plan, ...cmd, updatedAt: now.toISOString() };
    await deps.repo.savePlan(tx, next);
    return next;
  });
}

export function retirePlan(
  deps: { db: Db; repo: SubscriptionsRepository },
  id: string,
  now: Date,
): Promise<Plan> {
  return deps.db.tx(async (tx) => {
    const plan = await deps.repo.findPlan(tx, id, true);
    if (!plan) throw new PlanNotFound();
    if (plan.status === 'retired') return plan;
    const next: Plan = { ...plan, status: 'retired', updatedAt: now.toISOString() };
    await deps.repo.savePlan(tx, next);
    return next;
  });
}
