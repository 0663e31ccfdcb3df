import { randomUUID } from 'node:crypto';
import type { PackPurchase } from '../domain/pack.entity.js';
import { PackNotFound, PackRetired } from '../domain/packs.errors.js';
import type { PacksDeps } from './packs.deps.js';

/**
 * A client starts buying a pack: a pending purchase that snapshots the pack, then a checkout
 * session from Billing keyed by the purchase id (a retried call reuses the same session). The
 * credits arrive with the provider's confirmation, through the webhook.
 */
export async function startPackCheckout(
  deps: PacksDeps,
  cmd: { packId: string; clientId: string },
  now: Date,
): Promise<{ purchaseId: string; checkoutSessionId: string; checkoutUrl: string }> {
  const pack = await deps.uow.read(({ packs }) => packs.find(cmd.packId));
  if (!pack) throw new PackNotFound();
  if (pack.status !== 'active') throw new PackRetired();
  const purchase: PackPurchase = {
    id: randomUUID(),
    packId: pack.id,
    clientId: cmd.clientId,
    packName: pack.name,
    meals: pack.meals,
    priceMinor: pack.priceMinor,
    currency: pack.currency,
    checkoutSessionId: null,
    status: 'pending',
    paidMinor: 0,
    refundedMinor: 0,
    disputedMinor: 0,
    disputeStateAt: 0,
    creditsGranted: 0,
    creditEntries: 0,
    createdAt: now.toISOString(),
    paidAt: null,
  };
  await deps.uow.run(({ purchases }) => purchases.insert(purchase));
  const session = await deps.checkout.start({
    mode: 'payment',
    referenceKind: 'pack_purchase',
    referenceId: purchase.id,
    clientId: cmd.clientId,
    currency: pack.currency,
    lines: [{ description: pack.name, quantity: 1, unitAmountMinor: pack.priceMinor }],
  });
  await deps.uow.run(({ purchases }) => purchases.setCheckoutSession(purchase.id, session.id));
  return { purchaseId: purchase.id, checkoutSessionId: session.id, checkoutUrl: session.url };
}
