import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import type {
  DisputeUpdatedPayload,
  PaymentSucceededPayload,
  RefundRecordedPayload,
} from '../../billing/index.js';
import { creditsHeld, statusAfter } from '../domain/pack.entity.js';
import type { PacksDeps, PacksRepos } from './packs.deps.js';

export type PurchaseFact =
  | { kind: 'paid'; payload: PaymentSucceededPayload }
  | { kind: 'refunded'; payload: RefundRecordedPayload }
  | { kind: 'disputed'; payload: DisputeUpdatedPayload };

/**
 * Reacts to Billing's facts about a purchase, inside the relay's transaction (`work` joins it): records the money
 * paid, the highest refund reported and the newest dispute state, then moves the purchase's
 * credits to what it should hold now (grant on payment, reverse in proportion on refunds, hold
 * while disputed, give back when a dispute is won). Computing the target state rather than
 * applying deltas makes repeated or reordered facts converge on the same balance.
 */
export async function settlePurchase(
  deps: PacksDeps,
  work: Work<PacksRepos>,
  fact: PurchaseFact,
  now: Date,
): Promise<void> {
  const ref = fact.payload.reference;
  if (!ref || ref.kind !== 'pack_purchase') return;
  const purchase = await work.purchases.lock(ref.id);
  if (!purchase) return;
  const next = { ...purchase };
  if (fact.kind === 'paid') {
    next.paidMinor = Math.max(next.paidMinor, fact.payload.amountMinor);
    next.paidAt ??= now.toISOString();
  } else if (fact.kind === 'refunded') {
    next.paidMinor = Math.max(next.paidMinor, fact.payload.paymentAmountMinor);
    next.refundedMinor = Math.max(next.refundedMinor, fact.payload.totalRefundedMinor);
  } else if (fact.payload.eventCreated >= next.disputeStateAt) {
    next.disputedMinor = fact.payload.heldMinor;
    next.disputeStateAt = fact.payload.eventCreated;
  }
  next.status = statusAfter(next);
  const target = creditsHeld(next);
  const diff = target - purchase.creditsGranted;
  if (diff !== 0) {
    next.creditEntries += 1;
    const source = {
      clientId: purchase.clientId,
      meals: Math.abs(diff),
      sourceKind: 'pack_purchase',
      sourceId: `${purchase.id}#${next.creditEntries}`,
    };
    const why =
      fact.kind === 'disputed'
        ? `disputed (${fact.payload.status})`
        : fact.kind === 'refunded'
          ? `refunded (${next.refundedMinor} of ${next.paidMinor})`
          : 'paid';
    if (diff > 0)
      await deps.credits.grant(
        work.tx,
        { ...source, reason: `${purchase.packName} ${why}` },
        { now },
      );
    else
      await deps.credits.reverse(
        work.tx,
        { ...source, reason: `${purchase.packName} ${why}` },
        { now },
      );
    next.creditsGranted = target;
  }
  await work.purchases.save(next, now);
}
