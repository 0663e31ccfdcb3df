import type { Tx } from '../../../shared/db/db.js';
import type { PaymentSucceededPayload, RefundRecordedPayload } from '../../billing/index.js';
import type { CreditsLedger } from '../../credits/index.js';
import { creditsHeld, statusAfter } from '../domain/pack.entity.js';
import type { PacksRepository } from './packs.repository.port.js';

/**
 * Reacts to Billing's facts about a purchase, inside the relay's transaction: records the money
 * paid and the highest refund reported, then moves the purchase's credits to what it should hold
 * now (grant on payment, reverse in proportion on refunds). Computing the target state rather than
 * applying deltas makes repeated or reordered facts converge on the same balance.
 */
export async function settlePurchase(
  deps: { repo: PacksRepository; credits: CreditsLedger },
  tx: Tx,
  fact: { kind: 'paid'; payload: PaymentSucceededPayload } | { kind: 'refunded'; payload: RefundRecordedPayload },
  now: Date,
): Promise<void> {
  const ref = fact.payload.reference;
  if (!ref || ref.kind !== 'pack_purchase') return;
  const purchase = await deps.repo.lockPurchase(tx, ref.id);
  if (!purchase) return;
  const next = { ...purchase };
  if (fact.kind === 'paid') {
    next.paidMinor = Math.max(next.paidMinor, fact.payload.amountMinor);
    next.paidAt ??= now.toISOString();
  } else {
    next.paidMinor = Math.max(next.paidMinor, fact.payload.paymentAmountMinor);
    next.refundedMinor = Math.max(next.refundedMinor, fact.payload.totalRefundedMinor);
  }
  next.status = statusAfter(next);
  const target = creditsHeld(next);
  const diff = target - purchase.creditsGranted;
  if (diff !== 0) {
    next.creditEntries += 1;
    const source = { clientId: purchase.clientId, meals: Math.abs(diff), sourceKind: 'pack_purchase', sourceId: `${purchase.id}#${next.creditEntries}` };
    if (diff > 0) await deps.credits.grant(tx, { ...source, reason: `${purchase.packName} paid` }, { now });
    else await deps.credits.reverse(tx, { ...source, reason: `${purchase.packName} refunded (${next.refundedMinor} of ${next.paidMinor})` }, { now });
    next.creditsGranted = target;
  }
  await deps.repo.savePurchase(tx, next, now);
}
