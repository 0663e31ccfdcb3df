import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import type { Db, Tx } from '../../../shared/db/db.js';
import type { Logger } from '../../../shared/logging/logger.js';
import type { Clock } from '../../../shared/time/clock.js';
import { META } from '../domain/billing.entity.js';
import { RefundNotAllowed } from '../domain/billing.errors.js';
import type { LocalCheckout } from '../application/local-checkout.port.js';
import type { PaymentProvider } from '../application/payment-provider.port.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);
const WEEK = 7 * 86_400;

export interface LocalProvider extends PaymentProvider, LocalCheckout {
  /** Where webhooks are sent (the API's own URL); set once the server listens. */
  setWebhookBase(url: string): void;
}

type SessionRow = {
  id: string;
  mode: 'payment' | 'subscription';
  reference_kind: string;
  reference_id: string;
  client_id: string;
  currency: string;
  amount_minor: number;
  lines: { description: string; quantity: number; unitAmountMinor: number }[];
  interval: 'week' | 'month' | null;
  status: string;
};

/**
 * Plays Stripe's part where there is no STRIPE_SECRET_KEY (development, tests, this offline
 * machine). Checkout sessions are pages the API serves at /dev/checkout/<id>; paying one sends
 * Stripe-format events signed with the configured webhook secret by the SDK's own
 * `generateTestHeaderString` to POST /webhooks/stripe/billing, so verification, storage and
 * reconciliation run exactly as with Stripe. Its events are kept, so `listEvents` (reconciliation)
 * works too. Ids are derived from BK's ids, so repeating a call repeats the same event.
 */
export function createLocalProvider(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  webhookSecret: string;
  publicApiUrl: string;
}): LocalProvider {
  let webhookBase = deps.publicApiUrl;

  async function record(event: StripeEventLike): Promise<StripeEventLike> {
    await deps.db.query(
      'INSERT INTO billing_local_events (id, created_unix, payload) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [event.id, event.created, JSON.stringify(event)],
    );
    const result = await deps.db.query<{ payload: StripeEventLike }>(
      'SELECT payload FROM billing_local_events WHERE id = $1',
      [event.id],
    );
    return result.rows[0]!.payload;
  }

  async function deliver(event: StripeEventLike, base = webhookBase): Promise<number> {
    // Stripe sends pretty-printed JSON; the signature covers these exact bytes.
    const payload = JSON.stringify(event, null, 2);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: deps.webhookSecret,
    });
    try {
      const res = await fetch(`${base}/webhooks/stripe/billing`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': header,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks; local)',
        },
        body: payload,
      });
      await res.arrayBuffer();
      if (!res.ok)
        deps.log.warn({ eventId: event.id, status: res.status }, 'local provider: webhook refused');
      return res.status;
    } catch (err) {
      // Like Stripe, the event stays listed: reconciliation picks it up.
      deps.log.warn({ err, eventId: event.id }, 'local provider: webhook delivery failed');
      return 0;
    }
  }

  const nowUnix = () => Math.floor(deps.clock.nowMs() / 1000);

  return {
    name: 'local',
    setWebhookBase(url) {
      webhookBase = url.replace(/\/+$/, '');
    },
    async createCheckoutSession(req) {
      const id = `cs_local_${short(`${req.referenceKind}:${req.referenceId}`)}`;
      return { id, url: `${deps.publicApiUrl}/dev/checkout/${id}` };
    },
    async describe(sessionId) {
      const result = await deps.db.query<SessionRow & { status: string }>(
        "SELECT * FROM billing_checkout_sessions WHERE id = $1 AND provider = 'local'",
        [sessionId],
      );
      const text = result.rows[0];
      return text
        ? {
            amountMinor: text.amount_minor,
            currency: text.currency,
            mode: text.mode,
            status: text.status,
            lines: text.lines,
          }
        : null;
    },
    async pay(sessionId, base) {
      const result = await deps.db.query<SessionRow>(
        "SELECT * FROM billing_checkout_sessions WHERE id = $1 AND provider = 'local'",
        [sessionId],
      );
      const sessionRow = result.rows[0];
      if (!sessionRow) return null;
      if (sessionRow.status === 'expired') return 'expired';
      const { events, payments } = paidCheckoutEvents(sessionRow, nowUnix());
      for (const payment of payments) {
        await deps.db.query(
          'INSERT INTO billing_local_payments (payment_intent, charge_id, checkout_session_id, amount_minor, currency) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_intent) DO NOTHING',
          [
            payment.paymentIntent,
            payment.chargeId,
            sessionRow.id,
            sessionRow.amount_minor,
            sessionRow.currency,
          ],
        );
      }
      const delivered: number[] = [];
      for (const stripeEventLike of events)
        delivered.push(await deliver(await record(stripeEventLike), base));
      return { delivered };
    },
    async refund(req) {
      const id = `re_local_${short(req.idempotencyKey)}`;
      const eventId = `evt_local_${short(`refund:${req.idempotencyKey}`)}`;
      const replay = await deps.db.query<{ payload: StripeEventLike }>(
        'SELECT payload FROM billing_local_events WHERE id = $1',
        [eventId],
      );
      if (replay.rows[0]) {
        await deliver(replay.rows[0].payload);
        return { id };
      }
      const event = await deps.db.tx((tx) => recordLocalRefund(tx, req, eventId, nowUnix()));
      await deliver(event);
      return { id };
    },
    // Locally the client's own change is the whole truth; there is no remote subscription to update,
    // cancel or expire (the session's status in billing_checkout_sessions is what the page reads).
    async updateSubscription() {},
    async cancelSubscription() {},
    async expireCheckoutSession() {},
    async listEvents(sinceUnix) {
      const result = await deps.db.query<{ payload: StripeEventLike }>(
        'SELECT payload FROM billing_local_events WHERE created_unix >= $1 ORDER BY created_unix, id',
        [sinceUnix],
      );
      return result.rows.map((row) => row.payload);
    },
  };
}

/** Refunds part of a local payment, as Stripe would, and keeps the `charge.refunded` event it sends. */
async function recordLocalRefund(
  tx: Tx,
  req: { paymentIntent: string; amountMinor: number },
  eventId: string,
  created: number,
): Promise<StripeEventLike> {
  const part = await tx.query<{
    charge_id: string;
    amount_minor: number;
    amount_refunded: number;
    currency: string;
  }>(
    'SELECT charge_id, amount_minor, amount_refunded, currency FROM billing_local_payments WHERE payment_intent = $1 FOR UPDATE',
    [req.paymentIntent],
  );
  const pay = part.rows[0];
  if (!pay) throw new RefundNotAllowed('The local provider has no such payment.');
  const refunded = pay.amount_refunded + req.amountMinor;
  if (refunded > pay.amount_minor)
    throw new RefundNotAllowed(
      `At most ${pay.amount_minor - pay.amount_refunded} can still be refunded.`,
    );
  await tx.query(
    'UPDATE billing_local_payments SET amount_refunded = $2 WHERE payment_intent = $1',
    [req.paymentIntent, refunded],
  );
  const stripeEventLike = {
    id: eventId,
    object: 'event',
    type: 'charge.refunded',
    created,
    livemode: false,
    api_version: Stripe.API_VERSION,
    data: {
      object: {
        id: pay.charge_id,
        object: 'charge',
        amount: pay.amount_minor,
        amount_refunded: refunded,
        refunded: refunded === pay.amount_minor,
        currency: pay.currency,
        payment_intent: req.paymentIntent,
      },
    },
  } as StripeEventLike;
  await tx.query(
    'INSERT INTO billing_local_events (id, created_unix, payload) VALUES ($1, $2, $3)',
    [stripeEventLike.id, stripeEventLike.created, JSON.stringify(stripeEventLike)],
  );
  return stripeEventLike;
}

/** The local subscription's first invoice, paid in full for its first period. */
function paidInvoice(
  sessionRow: SessionRow,
  ids: {
    invoice: string;
    sub: string;
    metadata: Record<string, string>;
    created: number;
    end: number;
  },
): Record<string, unknown> {
  const { invoice, sub, metadata, created, end } = ids;
  const line = sessionRow.lines[0] ?? {
    description: 'Subscription',
    quantity: 1,
    unitAmountMinor: sessionRow.amount_minor,
  };
  return {
    id: invoice,
    object: 'invoice',
    status: 'paid',
    amount_paid: sessionRow.amount_minor,
    currency: sessionRow.currency,
    parent: {
      type: 'subscription_details',
      subscription_details: { subscription: sub, metadata },
    },
    lines: {
      data: [
        {
          description: line.description,
          amount: sessionRow.amount_minor,
          quantity: line.quantity,
          period: { start: created, end },
        },
      ],
    },
  };
}

/** The Checkout Session as Stripe reports it once it is complete and paid. */
function completedSession(
  sessionRow: SessionRow,
  metadata: Record<string, string>,
): Record<string, unknown> {
  return {
    id: sessionRow.id,
    object: 'checkout.session',
    mode: sessionRow.mode,
    status: 'complete',
    payment_status: 'paid',
    amount_total: sessionRow.amount_minor,
    currency: sessionRow.currency,
    client_reference_id: sessionRow.reference_id,
    metadata,
  };
}

/**
 * The events Stripe sends when a checkout session is paid, in Stripe's shapes, and the payments
 * (payment intent and charge) they create: for a pack, the completed session; for a
 * subscription, the completed session, the subscription, the first invoice's payment and the
 * paid invoice.
 */
function paidCheckoutEvents(
  sessionRow: SessionRow,
  created: number,
): { events: StripeEventLike[]; payments: { paymentIntent: string; chargeId: string }[] } {
  const header = short(sessionRow.id);
  const metadata = {
    [META.referenceKind]: sessionRow.reference_kind,
    [META.referenceId]: sessionRow.reference_id,
    [META.clientId]: sessionRow.client_id,
  };
  const ev = (suffix: string, type: string, object: Record<string, unknown>): StripeEventLike =>
    ({
      id: `evt_local_${short(`${sessionRow.id}:${suffix}`)}`,
      object: 'event',
      type,
      created,
      livemode: false,
      api_version: Stripe.API_VERSION,
      data: { object },
    }) as StripeEventLike;
  const session = completedSession(sessionRow, metadata);
  if (sessionRow.mode === 'payment') {
    const paymentIntent = `pi_local_${header}`;
    return {
      events: [
        ev('completed', 'checkout.session.completed', {
          ...session,
          payment_intent: paymentIntent,
          subscription: null,
        }),
      ],
      payments: [{ paymentIntent, chargeId: `ch_local_${header}` }],
    };
  }
  const sub = `sub_local_${header}`;
  const end = created + (sessionRow.interval === 'month' ? 30 * 86_400 : WEEK);
  const invoice = `in_local_${header}_1`;
  const invoicePi = `pi_local_${header}_1`;
  const events = [
    ev('completed', 'checkout.session.completed', {
      ...session,
      payment_intent: null,
      subscription: sub,
    }),
    ev('sub-created', 'customer.subscription.created', {
      id: sub,
      object: 'subscription',
      status: 'active',
      cancel_at_period_end: false,
      pause_collection: null,
      metadata,
      items: { data: [{ current_period_start: created, current_period_end: end }] },
    }),
    ev('invoice-payment-1', 'invoice_payment.paid', {
      id: `inpay_local_${header}_1`,
      object: 'invoice_payment',
      amount_paid: sessionRow.amount_minor,
      amount_requested: sessionRow.amount_minor,
      currency: sessionRow.currency,
      invoice,
      is_default: true,
      status: 'paid',
      payment: { type: 'payment_intent', payment_intent: invoicePi },
    }),
    ev(
      'invoice-1',
      'invoice.paid',
      paidInvoice(sessionRow, { invoice, sub, metadata, created, end }),
    ),
  ];
  return { events, payments: [{ paymentIntent: invoicePi, chargeId: `ch_local_${header}_1` }] };
}
