import type { CreditsDeps } from './credits.deps.js';

export type CanOrderReason = 'ok' | 'no_entitlement' | 'insufficient_credits';

export interface CanOrder {
  allowed: boolean;
  reason: CanOrderReason;
  balance: number;
}

/**
 * Seed 000 §1, the purchase prerequisite: a client may order `meals` meals only with that many
 * credits, from a paid pack or a paid subscription invoice. The ordering module (DESIGN §11, not
 * built yet) is to call this to decide, and `consume` (which re-checks under the account lock)
 * to spend.
 */
export async function canOrder(
  deps: CreditsDeps,
  clientId: string,
  meals: number,
): Promise<CanOrder> {
  if (!Number.isSafeInteger(meals) || meals <= 0)
    throw new RangeError(`meals is a positive integer (got ${meals})`);
  const { balance, updatedAt } = await deps.uow.read(({ credits }) => credits.balance(clientId));
  if (balance >= meals) return { allowed: true, reason: 'ok', balance };
  return {
    allowed: false,
    reason: updatedAt === null || balance <= 0 ? 'no_entitlement' : 'insufficient_credits',
    balance,
  };
}
