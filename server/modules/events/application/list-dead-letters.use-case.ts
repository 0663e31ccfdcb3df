import type { Db } from '../../../shared/db/db.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import type { DeadLetterView } from '../domain/dead-letter.js';
import type { DeadLetterRepository } from './dead-letter.repository.port.js';

export async function listDeadLetters(deps: { db: Db; repo: DeadLetterRepository }, q: { cursor?: string; limit?: number }): Promise<{ items: DeadLetterView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 20;
  const rows = await deps.repo.page(deps.db, decodeCursor(q.cursor), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.failedAt, id: last.id }) : null };
}
