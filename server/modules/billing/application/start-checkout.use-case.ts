import { lineTotal, type BillingLine } from '../domain/billing.entity.js';
import type { BillingDeps } from './billing.deps.js';
import type { CheckoutSessionRow } from './checkout-session.repository.port.js';
import type { CheckoutRequest } from './payment-provider.port.js';

export type StartCheckout = Omit<CheckoutRequest, 'successUrl' | 'cancelUrl'>;

/**
 * Asks the provider for a checkout session (idempotent on BK's reference id) and records what it
 * is for, so the webhook can map it back. Called by Packs and Subscriptions.
 */
export async function startCheckout(
  deps: BillingDeps,
  req: StartCheckout,
  meta: { now: Date },
): Promise<{ id: string; url: string }> {
  const existing = await deps.uow.read(({ sessions }) =>
    sessions.findByReference({ kind: req.referenceKind, id: req.referenceId }),
  );
  if (existing) return { id: existing.id, url: existing.url };
  const session = await deps.provider.createCheckoutSession({
    ...req,
    successUrl: `${deps.returnUrl}/#/billing/success?session={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${deps.returnUrl}/#/billing/cancelled`,
  });
  const lines: BillingLine[] = req.lines.map((line) => ({
    ...line,
    amountMinor: line.unitAmountMinor * line.quantity,
  }));
  const row: CheckoutSessionRow = {
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
  };
  await deps.uow.run(({ sessions }) => sessions.insert(row));
  return session;
}
