import { randomUUID } from 'node:crypto';
import type { Pack } from '../domain/pack.entity.js';
import { PackNotFound, PackRetired } from '../domain/packs.errors.js';
import type { PacksDeps } from './packs.deps.js';

export interface CreatePack {
  name: string;
  description?: string;
  meals: number;
  priceMinor: number;
  currency: string;
}
export type UpdatePack = Partial<{
  name: string;
  description: string | null;
  meals: number;
  priceMinor: number;
  currency: string;
}>;

/** The admin catalogue: create, edit, retire. Purchases snapshot the pack, so edits never touch them. */
export async function createPack(deps: PacksDeps, cmd: CreatePack, now: Date): Promise<Pack> {
  const at = now.toISOString();
  const pack: Pack = {
    id: randomUUID(),
    name: cmd.name.trim(),
    description: cmd.description?.trim() || null,
    meals: cmd.meals,
    priceMinor: cmd.priceMinor,
    currency: cmd.currency,
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
  await deps.uow.run(({ packs }) => packs.insert(pack));
  return pack;
}

export function updatePack(deps: PacksDeps, id: string, cmd: UpdatePack, now: Date): Promise<Pack> {
  return deps.uow.run(async ({ packs }) => {
    const pack = await packs.find(id, { forUpdate: true });
    if (!pack) throw new PackNotFound();
    if (pack.status === 'retired') throw new PackRetired();
    const next: Pack = {
      ...pack,
      ...cmd,
      ...(cmd.name !== undefined ? { name: cmd.name.trim() } : {}),
      updatedAt: now.toISOString(),
    };
    await packs.save(next);
    return next;
  });
}

export function retirePack(deps: PacksDeps, id: string, now: Date): Promise<Pack> {
  return deps.uow.run(async ({ packs }) => {
    const pack = await packs.find(id, { forUpdate: true });
    if (!pack) throw new PackNotFound();
    if (pack.status === 'retired') return pack;
    const next: Pack = { ...pack, status: 'retired', updatedAt: now.toISOString() };
    await packs.save(next);
    return next;
  });
}
