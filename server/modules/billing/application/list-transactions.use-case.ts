import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { BillingTransaction } from '../domain/billing.entity.js';
import type { BillingDeps } from './billing.deps.js';

export async function listTransactions(
  deps: BillingDeps,
  query: { cursor?: string; limit?: number },
): Promise<Page<BillingTransaction>> {
  return deps.uow.read(({ transactions }) =>
    keysetPage(
      query,
      (after, limit) => transactions.list(after, limit),
      (billingTransaction) => ({
        createdAt: billingTransaction.createdAt,
        id: billingTransaction.id,
      }),
    ),
  );
}
