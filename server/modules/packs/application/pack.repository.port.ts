import type { Pack } from '../domain/pack.entity.js';

/** The pack catalogue. Bound to a transaction or the pool by the unit of work. */
export interface PackRepository {
  insert(pack: Pack): Promise<void>;
  find(id: string, options?: { forUpdate?: boolean }): Promise<Pack | null>;
  save(pack: Pack): Promise<void>;
  list(onlyActive: boolean): Promise<Pack[]>;
}
