export type CatalogueStatus = 'active' | 'retired';
export interface Pack {
  id: string;
  name: string;
  description: string | null;
  meals: number;
  priceMinor: number;
  currency: string;
  status: CatalogueStatus;
  createdAt: string;
  updatedAt: string;
}
export type PurchaseStatus = 'pending' | 'paid' | 'partially_refunded' | 'refunded';
export interface PackPurchase {
  id: string;
  packId: string;
  clientId: string;
  packName: string;
  meals: number;
  priceMinor: number;
  currency: string;
  checkoutSessionId: string | null;
  status: PurchaseStatus;
  paidMinor: number;
  refundedMinor: number;
  /** What an open (or lost) dispute holds back; 0 without one or once won. */
  disputedMinor: number;
  /** `event.created` of the dispute state applied (newest wins). */
  disputeStateAt: number;
  creditsGranted: number;
  creditEntries: number;
  createdAt: string;
  paidAt: string | null;
}

/**
 * The credits a purchase holds after refunds and disputes: meals in proportion to the money kept
 * (paid, less refunded, less what a dispute holds back), rounded down, so a partial refund never
 * leaves a client a meal they did not pay for in full.
 * @example
 * creditsHeld({ meals: 10, paidMinor: 8900, refundedMinor: 4450 }) // 5
 * creditsHeld({ meals: 10, paidMinor: 10000, refundedMinor: 0, disputedMinor: 10000 }) // 0
 */
export function creditsHeld(part: {
  meals: number;
  paidMinor: number;
  refundedMinor: number;
  disputedMinor?: number;
}): number {
  if (part.paidMinor <= 0) return 0;
  const kept = Math.max(
    0,
    part.paidMinor - Math.min(part.refundedMinor + (part.disputedMinor ?? 0), part.paidMinor),
  );
  return Math.floor((part.meals * kept) / part.paidMinor);
}

export function statusAfter(part: { paidMinor: number; refundedMinor: number }): PurchaseStatus {
  if (part.paidMinor <= 0) return 'pending';
  if (part.refundedMinor <= 0) return 'paid';
  return part.refundedMinor >= part.paidMinor ? 'refunded' : 'partially_refunded';
}
