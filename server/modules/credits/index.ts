/**
 * Credits: the meal-credit ledger. Append-only entries (grant, consume, reverse), the balance kept
 * in the same transaction, `credits.balance_changed` to the outbox with every entry and from there
 * to the client's sockets.
 * @example
 * const credits = createCreditsModule({ db, clock, fanout });
 * const { allowed } = await credits.canOrder(clientId, 5);      // ordering, seed 000 §1
 * await credits.consume({ clientId, meals: 5, sourceKind: 'order', sourceId: orderId });
 * await credits.ledger.grant(tx, { clientId, meals: 5, ... }, { now }); // in the caller's transaction
 */
export {
  createCreditsModule,
  type CreditsModule,
  type CreditsModuleDeps,
  type CreditsLedger,
} from './credits.module.js';
export type { CanOrder, CanOrderReason } from './application/can-order.use-case.js';
export type { CreditEntry } from './domain/credit-entry.entity.js';
export {
  CREDITS_BALANCE_CHANGED,
  type CreditsBalanceChanged,
  type CreditsBalanceChangedPayload,
} from './domain/credits.events.js';
export { InsufficientCredits } from './domain/credits.errors.js';
