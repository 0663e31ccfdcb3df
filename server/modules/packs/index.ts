/**
 * Packs: the catalogue of one-off meal packs and their purchases. A paid purchase grants its meals
 * as credits; refunds reverse them in proportion.
 * @example
 * const packs = createPacksModule({ db, clock, checkout: billing.checkout, credits: credits.ledger });
 * relay.register(...packs.consumers);
 */
export { createPacksModule, type PacksModule } from './packs.module.js';
export { packsHttp } from './transport/packs.http.js';
export { catalogueHttp } from './transport/catalogue.http.js';
export { creditsHeld } from './domain/pack.entity.js';
export type { Pack, PackPurchase } from './domain/pack.entity.js';
