import type { Queryable } from '../../../shared/db/db.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import type { BillingTransaction } from '../domain/billing.entity.js';
import type { BillingRepository } from './billing.repository.port.js';

export async function listTransactions(deps: { db: Queryable; repo: BillingRepository }, q: { cursor?: string; limit?: number }): Promise<{ items: BillingTransaction[]; nextCursor: string | null }> {
  const limit = q.limit ?? 20;
  const rows = await deps.repo.listTransactions(deps.db, decodeCursor(q.cursor), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}
