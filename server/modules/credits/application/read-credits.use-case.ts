import type { Queryable } from '../../../shared/db/db.js';
import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { CreditEntry } from '../domain/credit-entry.entity.js';
import type { CreditsRepository } from './credits.repository.port.js';

export function readBalance(deps: { db: Queryable; repo: CreditsRepository }, clientId: string) {
  return deps.repo.balance(deps.db, clientId);
}

/** Newest first, keyset-paginated by (createdAt, id). */
export async function readHistory(
  deps: { db: Queryable; repo: CreditsRepository },
  clientId: string,
  q: { cursor?: string; limit?: number },
): Promise<Page<CreditEntry>> {
  return keysetPage(
    q,
    (after, limit) => deps.repo.history(deps.db, clientId, after, limit),
    (e) => ({ createdAt: e.createdAt, id: e.id }),
  );
}
