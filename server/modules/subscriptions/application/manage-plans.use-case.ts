import { randomUUID } from 'node:crypto';
import type { Plan } from '../domain/subscription.entity.js';
import { PlanNotFound, PlanRetired } from '../domain/subscriptions.errors.js';
import type { SubscriptionsDeps } from './subscriptions.deps.js';

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
  deps: SubscriptionsDeps,
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
  await deps.uow.run(({ plans }) => plans.insert(plan));
  return plan;
}

/** Edits apply to new subscriptions: each subscription keeps the meals it started with. */
export function updatePlan(
  deps: SubscriptionsDeps,
  id: string,
  cmd: UpdatePlan,
  now: Date,
): Promise<Plan> {
  return deps.uow.run(async ({ plans }) => {
    const plan = await plans.find(id, { forUpdate: true });
    if (!plan) throw new PlanNotFound();
    if (plan.status === 'retired') throw new PlanRetired();
    const next: Plan = { ...plan, ...cmd, updatedAt: now.toISOString() };
    await plans.save(next);
    return next;
  });
}

export function retirePlan(deps: SubscriptionsDeps, id: string, now: Date): Promise<Plan> {
  return deps.uow.run(async ({ plans }) => {
    const plan = await plans.find(id, { forUpdate: true });
    if (!plan) throw new PlanNotFound();
    if (plan.status === 'retired') return plan;
    const next: Plan = { ...plan, status: 'retired', updatedAt: now.toISOString() };
    await plans.save(next);
    return next;
  });
}
