/**
 * Credits: the meal-credit ledger. Append-only entries (grant, consume, reverse), the balance kept
 * in the same transaction, `credits.balance_changed` to the outbox with every entry.
 * @example
 * const credits = createCreditsModule({ db, clock });
 * const { allowed } = await credits.canOrder(clientId, 5);      // ordering, seed 000 §1
 * await credits.consume({ clientId, meals: 5, sourceKind: 'order', sourceId: orderId });
 * registerCreditsRealtime(fanout);                               // pushes balance changes
 */
export { createCreditsModule, type CreditsModule, type CreditsLedger } from './credits.module.js';
export { creditsHttp } from './transport/credits.http.js';
export { registerCreditsRealtime } from './transport/credits.realtime.js';
export type { CanOrder, CanOrderReason } from './application/can-order.use-case.js';
export type { CreditEntry } from './domain/credit-entry.entity.js';
export {
  CREDITS_BALANCE_CHANGED,
  type CreditsBalanceChanged,
  type CreditsBalanceChangedPayload,
} from './domain/credits.events.js';
export { InsufficientCredits } from './domain/credits.errors.js';
