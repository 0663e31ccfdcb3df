import type { Queryable } from '../../../shared/db/db.js';
import { lineTotal, type BillingLine } from '../domain/billing.entity.js';
import type { CheckoutRequest, PaymentProvider } from '../domain/payment-provider.port.js';
import type { BillingRepository } from './billing.repository.port.js';

export type StartCheckout = Omit<CheckoutRequest, 'successUrl' | 'cancelUrl'>;

/**
 * Asks the provider for a checkout session (idempotent on BK's reference id) and records what it
 * is for, so the webhook can map it back. Called by Packs and Subscriptions.
 */
export async function startCheckout(
  deps: { db: Queryable; repo: BillingRepository; provider: PaymentProvider; returnUrl: string },
  req: StartCheckout,
  meta: { now: Date },
): Promise<{ id: string; url: string }> {
  const existing = await deps.repo.findCheckoutSessionByReference(deps.db, {
    kind: req.referenceKind,
    id: req.referenceId,
  });
  if (existing) return { id: existing.id, url: existing.url };
  const session = await deps.provider.createCheckoutSession({
    ...req,
    successUrl: `${deps.returnUrl}/#/billing/success?session={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${deps.returnUrl}/#/billing/cancelled`,
  });
  const lines: BillingLine[] = req.lines.map((l) => ({
    ...l,
    amountMinor: l.unitAmountMinor * l.quantity,
  }));
  await deps.repo.insertCheckoutSession(deps.db, {
    id: session.id,
    provider: deps.provider.name,
    mode: req.mode,
    reference: { kind: req.referenceKind, id: req.referenceId },
    clientId: req.clientId,
    currency: req.currency,
    amountMinor: lineTotal(req.lines),
    lines,
    interval: req.interval ?? null,
    url: session.url,
    status: 'open',
    createdAt: meta.now.toISOString(),
  });
  return session;
}
