import { parseMajorToMinor } from './money.js';
import type {
  BillingTransaction,
  RefundRequest,
  Subscription,
  SubscriptionAction,
} from './billing-api.js';

/* The pure rules behind the billing screens (forms, which actions a state allows), kept free of the
   DOM so they are unit-tested in node. */

const PRICE_MIN = 50;
const PRICE_MAX = 100_000_000;

export type Parsed<T> = { ok: true; body: T } | { ok: false; errors: Record<string, string> };

/** A whole number within bounds, from a form field. */
export function parseCount(
  raw: string,
  min: number,
  max: number,
): { ok: true; value: number } | { ok: false; error: string } {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return { ok: false, error: 'Enter a whole number.' };
  const count = Number(text);
  if (count < min || count > max)
    return { ok: false, error: `Enter a number from ${min} to ${max}.` };
  return { ok: true, value: count };
}

/** Reads the pack/plan form: pounds become pence here, so the API only ever sees integer minor units. */
export function readCatalogueForm(
  values: Record<string, string>,
  kind: 'pack' | 'plan',
): Parsed<Record<string, string | number>> {
  const errors: Record<string, string> = {};
  const body: Record<string, string | number> = {};
  const name = (values.name ?? '').trim();
  if (!name) errors.name = 'Please enter a name.';
  else body.name = name;
  body.description = (values.description ?? '').trim();
  const countName = kind === 'pack' ? 'meals' : 'mealsPerInterval';
  const count = parseCount(values[countName] ?? '', 1, kind === 'pack' ? 500 : 100);
  if (count.ok) body[countName] = count.value;
  else errors[countName] = count.error;
  const price = parseMajorToMinor(values.priceMinor ?? '', { min: PRICE_MIN, max: PRICE_MAX });
  if (price.ok) body.priceMinor = price.minor;
  else errors.priceMinor = price.error;
  if (kind === 'plan' && values.interval !== undefined)
    body.interval = values.interval === 'month' ? 'month' : 'week';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** What is still refundable on a payment or paid invoice (refunds themselves are not). */
export function refundable(
  target: Pick<BillingTransaction, 'kind' | 'amountMinor' | 'refundedMinor'>,
): number {
  return target.kind === 'refund' ? 0 : Math.max(0, target.amountMinor - target.refundedMinor);
}

/** The refund form's values → the request: empty amount = the whole remainder; the reason is required. */
export function readRefundForm(
  values: { amount: string; reason: string },
  remaining: number,
  currency: string,
): { ok: true; body: RefundRequest } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const reason = values.reason.trim();
  if (reason.length < 3)
    errors.reason = 'Please give a reason (at least 3 characters); it is kept in the audit trail.';
  let amountMinor: number | undefined;
  if (values.amount.trim() !== '') {
    const parsed = parseMajorToMinor(values.amount, { min: 1, max: remaining, currency });
    if (parsed.ok) amountMinor = parsed.minor;
    else errors.amountMinor = parsed.error;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    body:
      amountMinor === undefined || amountMinor === remaining ? { reason } : { reason, amountMinor },
  };
}

/** Subscriptions that still count: everything but a final `canceled`. */
export function liveSubscriptions(subs: Subscription[]): Subscription[] {
  return subs.filter((sub) => sub.status !== 'canceled');
}

/** Which actions a subscription offers now (the server's state machine has the final word). */
export function subscriptionActions(text: Subscription): SubscriptionAction[] {
  if (text.status === 'active') return text.cancelAtPeriodEnd ? [] : ['pause', 'cancel'];
  if (text.status === 'paused') return text.cancelAtPeriodEnd ? ['resume'] : ['resume', 'cancel'];
  if (text.status === 'past_due') return text.cancelAtPeriodEnd ? [] : ['cancel'];
  return [];
}

/** Still waiting on the provider: a pending purchase or a subscription whose first payment is not confirmed. */
export function awaitingPayment(
  purchases: Array<{ status: string }> | null,
  subs: Subscription[] | null,
): boolean {
  return (
    (purchases ?? []).some((part) => part.status === 'pending') ||
    (subs ?? []).some((text) => text.status === 'incomplete')
  );
}
