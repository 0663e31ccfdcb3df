/**
 * Packs: the catalogue of one-off meal packs and their purchases. A paid purchase grants its meals
 * as credits; refunds reverse them in proportion.
 * @example
 * const packs = createPacksModule({ db, clock, checkout: billing.checkout, credits: credits.ledger,
 *   activePlans: () => subscriptions.plans(true) });
 * const handlers = { ...packs.http, ...otherHandlers };
 * relay.register(...packs.consumers);
 */
export { createPacksModule, type PacksModule, type PacksModuleDeps } from './packs.module.js';
export { creditsHeld } from './domain/pack.entity.js';
export type { Pack, PackPurchase } from './domain/pack.entity.js';
