import type { Queryable } from '../../../shared/db/db.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import type { CreditEntry } from '../domain/credit-entry.entity.js';
import type { CreditsRepository } from './credits.repository.port.js';

export function readBalance(deps: { db: Queryable; repo: CreditsRepository }, clientId: string) {
  return deps.repo.balance(deps.db, clientId);
}

/** Newest first, keyset-paginated by (createdAt, id). */
export async function readHistory(deps: { db: Queryable; repo: CreditsRepository }, clientId: string, q: { cursor?: string; limit?: number }): Promise<{ items: CreditEntry[]; nextCursor: string | null }> {
  const limit = q.limit ?? 20;
  const rows = await deps.repo.history(deps.db, clientId, decodeCursor(q.cursor), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}
