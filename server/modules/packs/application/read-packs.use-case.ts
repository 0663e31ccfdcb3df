import type { Pack, PackPurchase } from '../domain/pack.entity.js';
import type { PacksDeps } from './packs.deps.js';

/** The catalogue: active packs cheapest first, or (staff) every pack newest first. */
export function listPacks(deps: PacksDeps, onlyActive: boolean): Promise<Pack[]> {
  return deps.uow.read(({ packs }) => packs.list(onlyActive));
}

/** A client's purchases, newest first. */
export function listPurchases(deps: PacksDeps, clientId: string): Promise<PackPurchase[]> {
  return deps.uow.read(({ purchases }) => purchases.listOf(clientId));
}
