import type { PackPurchase } from '../domain/pack.entity.js';

/** Purchases of packs: each a snapshot of its pack, with the money and credits it holds. */
export interface PackPurchaseRepository {
  insert(packPurchase: PackPurchase): Promise<void>;
  setCheckoutSession(purchaseId: string, sessionId: string): Promise<void>;
  /** The purchase, locked for the rest of the transaction. */
  lock(id: string): Promise<PackPurchase | null>;
  save(packPurchase: PackPurchase, at: Date): Promise<void>;
  listOf(clientId: string): Promise<PackPurchase[]>;
}
