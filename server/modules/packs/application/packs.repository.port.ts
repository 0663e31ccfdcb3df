import type { Queryable, Tx } from '../../../shared/db/db.js';
import type { Pack, PackPurchase } from '../domain/pack.entity.js';

export interface PacksRepository {
  insertPack(q: Queryable, p: Pack): Promise<void>;
  findPack(q: Queryable, id: string, lock?: boolean): Promise<Pack | null>;
  savePack(q: Queryable, p: Pack): Promise<void>;
  listPacks(q: Queryable, onlyActive: boolean): Promise<Pack[]>;
  insertPurchase(q: Queryable, p: PackPurchase): Promise<void>;
  setCheckoutSession(q: Queryable, purchaseId: string, sessionId: string): Promise<void>;
  lockPurchase(tx: Tx, id: string): Promise<PackPurchase | null>;
  savePurchase(tx: Tx, p: PackPurchase, at: Date): Promise<void>;
  listPurchases(q: Queryable, clientId: string): Promise<PackPurchase[]>;
}
