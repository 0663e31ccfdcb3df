import type { Queryable } from '../../../shared/db/db.js';
import type { ReferenceKind } from '../domain/billing.entity.js';
import type { PaymentProvider } from '../domain/payment-provider.port.js';
import type { BillingRepository } from './billing.repository.port.js';

/**
 * Closes the open checkout session of a record its owner cancelled, at the provider first, so it
 * can no longer be paid. A session already complete is left alone: its payment is refused when its
 * events arrive (see `billing.payment_refusal_requested`).
 */
export async function expireCheckout(
  deps: { db: Queryable; repo: BillingRepository; provider: PaymentProvider },
  reference: { referenceKind: ReferenceKind; referenceId: string },
): Promise<void> {
  const session = await deps.repo.findCheckoutSessionByReference(deps.db, {
    kind: reference.referenceKind,
    id: reference.referenceId,
  });
  if (!session || session.status !== 'open') return;
  await deps.provider.expireCheckoutSession({
    sessionId: session.id,
    idempotencyKey: `bk-expire-${session.id}`,
  });
  await deps.repo.expireCheckoutSession(deps.db, session.id);
}
