import type { Queryable } from '../../../shared/db/db.js';
import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { BillingTransaction } from '../domain/billing.entity.js';
import type { BillingRepository } from './billing.repository.port.js';

export async function listTransactions(
  deps: { db: Queryable; repo: BillingRepository },
  q: { cursor?: string; limit?: number },
): Promise<Page<BillingTransaction>> {
  return keysetPage(
    q,
    (after, limit) => deps.repo.listTransactions(deps.db, after, limit),
    (t) => ({ createdAt: t.createdAt, id: t.id }),
  );
}
