import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { CreditEntry } from '../domain/credit-entry.entity.js';
import type { CreditsDeps } from './credits.deps.js';

export function readBalance(
  deps: CreditsDeps,
  clientId: string,
): Promise<{ balance: number; updatedAt: string | null }> {
  return deps.uow.read(({ credits }) => credits.balance(clientId));
}

/** Newest first, keyset-paginated by (createdAt, id). */
export async function readHistory(
  deps: CreditsDeps,
  clientId: string,
  query: { cursor?: string; limit?: number },
): Promise<Page<CreditEntry>> {
  return deps.uow.read(({ credits }) =>
    keysetPage(
      query,
      (after, limit) => credits.history(clientId, after, limit),
      (creditEntry) => ({ createdAt: creditEntry.createdAt, id: creditEntry.id }),
    ),
  );
}
