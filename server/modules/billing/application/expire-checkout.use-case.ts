import type { ReferenceKind } from '../domain/billing.entity.js';
import type { BillingDeps } from './billing.deps.js';

/**
 * Closes the open checkout session of a record its owner cancelled, at the provider first, so it
 * can no longer be paid. A session already complete is left alone: its payment is refused when its
 * events arrive (see `billing.payment_refusal_requested`).
 */
export async function expireCheckout(
  deps: BillingDeps,
  reference: { referenceKind: ReferenceKind; referenceId: string },
): Promise<void> {
  const session = await deps.uow.read(({ sessions }) =>
    sessions.findByReference({ kind: reference.referenceKind, id: reference.referenceId }),
  );
  if (!session || session.status !== 'open') return;
  await deps.provider.expireCheckoutSession({
    sessionId: session.id,
    idempotencyKey: `bk-expire-${session.id}`,
  });
  await deps.uow.run(({ sessions }) => sessions.expire(session.id));
}
