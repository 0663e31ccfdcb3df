import Stripe from 'stripe';

/**
 * Stripe events as Stripe sends them, for webhook tests. Every object is typed against the SDK's
 * own types (`Pick<Stripe.X, ...>`: each field BK reads, with Stripe's names and value types), so
 * an SDK upgrade that renames or retypes one breaks `npm run typecheck` here first.
 */
type EventEnvelope = Pick<
  Stripe.Event,
  'id' | 'object' | 'api_version' | 'created' | 'livemode' | 'pending_webhooks' | 'request'
>;
export type TypedEvent<T extends string, O> = EventEnvelope & { type: T; data: { object: O } };

export type InvoiceShape = Pick<
  Stripe.Invoice,
  'id' | 'object' | 'amount_paid' | 'currency' | 'status' | 'livemode' | 'created'
> & {
  parent: Pick<Stripe.Invoice.Parent, 'type' | 'quote_details'> & {
    subscription_details: Pick<
      Stripe.Invoice.Parent.SubscriptionDetails,
      'subscription' | 'metadata'
    >;
  };
  lines: Pick<
    Stripe.ApiList<
      Pick<
        Stripe.InvoiceLineItem,
        'id' | 'object' | 'amount' | 'currency' | 'description' | 'quantity' | 'period'
      >
    >,
    'object' | 'data' | 'has_more' | 'url'
  >;
};
export type InvoicePaymentShape = Pick<
  Stripe.InvoicePayment,
  | 'id'
  | 'object'
  | 'amount_paid'
  | 'amount_requested'
  | 'currency'
  | 'invoice'
  | 'is_default'
  | 'status'
  | 'created'
  | 'livemode'
> & {
  payment: Pick<Stripe.InvoicePayment.Payment, 'type' | 'payment_intent'>;
};
export type ChargeShape = Pick<
  Stripe.Charge,
  | 'id'
  | 'object'
  | 'amount'
  | 'amount_refunded'
  | 'currency'
  | 'payment_intent'
  | 'refunded'
  | 'disputed'
  | 'status'
  | 'metadata'
  | 'created'
  | 'livemode'
>;
export type DisputeShape = Pick<
  Stripe.Dispute,
  | 'id'
  | 'object'
  | 'amount'
  | 'charge'
  | 'currency'
  | 'payment_intent'
  | 'reason'
  | 'status'
  | 'is_charge_refundable'
  | 'metadata'
  | 'created'
  | 'livemode'
>;
export type CheckoutSessionShape = Pick<
  Stripe.Checkout.Session,
  | 'id'
  | 'object'
  | 'mode'
  | 'status'
  | 'payment_status'
  | 'amount_total'
  | 'currency'
  | 'client_reference_id'
  | 'metadata'
  | 'payment_intent'
  | 'subscription'
  | 'livemode'
  | 'created'
>;

let seq = 0;
function event<T extends string, O>(type: T, object: O, created: number): TypedEvent<T, O> {
  return {
    id: `evt_fake_${Date.now()}_${++seq}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

const now = () => Math.floor(Date.now() / 1000);
const subscriptionMeta = (subscriptionId: string, clientId: string) => ({
  bk_reference_kind: 'subscription',
  bk_reference_id: subscriptionId,
  bk_client_id: clientId,
});

/** `checkout.session.completed` for a subscription checkout. */
export function subscriptionCheckoutCompleted(option: {
  sessionId: string;
  subscriptionId: string;
  clientId: string;
  providerSubscriptionId: string;
  amount: number;
  created?: number;
}) {
  const session: CheckoutSessionShape = {
    id: option.sessionId,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'complete',
    payment_status: 'paid',
    amount_total: option.amount,
    currency: 'gbp',
    client_reference_id: option.subscriptionId,
    metadata: subscriptionMeta(option.subscriptionId, option.clientId),
    payment_intent: null,
    subscription: option.providerSubscriptionId,
    livemode: false,
    created: option.created ?? now(),
  };
  return event('checkout.session.completed', session, option.created ?? now());
}

/** `invoice.paid` for a subscription's invoice (API 2025+: the subscription under `parent`). */
export function invoicePaid(option: {
  invoiceId: string;
  subscriptionId: string;
  clientId: string;
  providerSubscriptionId: string;
  amountPaid: number;
  periodEnd?: number;
  created?: number;
}) {
  const created = option.created ?? now();
  const invoice: InvoiceShape = {
    id: option.invoiceId,
    object: 'invoice',
    amount_paid: option.amountPaid,
    currency: 'gbp',
    status: 'paid',
    livemode: false,
    created,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: {
        subscription: option.providerSubscriptionId,
        metadata: subscriptionMeta(option.subscriptionId, option.clientId),
      },
    },
    lines: {
      object: 'list',
      has_more: false,
      url: `/v1/invoices/${option.invoiceId}/lines`,
      data: [
        {
          id: `il_${option.invoiceId}`,
          object: 'line_item',
          amount: option.amountPaid,
          currency: 'gbp',
          description: 'Weekday lunches',
          quantity: 1,
          period: { start: created, end: option.periodEnd ?? created + 7 * 86_400 },
        },
      ],
    },
  };
  return event('invoice.paid', invoice, created);
}

/** `invoice_payment.paid`: which payment intent paid which invoice (what a refund or dispute names). */
export function invoicePaymentPaid(option: {
  invoiceId: string;
  paymentIntent: string;
  amountPaid: number;
  created?: number;
}) {
  const created = option.created ?? now();
  const payment: InvoicePaymentShape = {
    id: `inpay_${option.invoiceId}`,
    object: 'invoice_payment',
    amount_paid: option.amountPaid,
    amount_requested: option.amountPaid,
    currency: 'gbp',
    invoice: option.invoiceId,
    is_default: true,
    status: 'paid',
    created,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: option.paymentIntent },
  };
  return event('invoice_payment.paid', payment, created);
}

/** `charge.refunded` with the charge's cumulative `amount_refunded`. */
export function chargeRefunded(option: {
  chargeId: string;
  paymentIntent: string;
  amount: number;
  amountRefunded: number;
  created?: number;
}) {
  const created = option.created ?? now();
  const charge: ChargeShape = {
    id: option.chargeId,
    object: 'charge',
    amount: option.amount,
    amount_refunded: option.amountRefunded,
    currency: 'gbp',
    payment_intent: option.paymentIntent,
    refunded: option.amountRefunded >= option.amount,
    disputed: false,
    status: 'succeeded',
    metadata: {},
    created,
    livemode: false,
  };
  return event('charge.refunded', charge, created);
}

/** `charge.dispute.created` / `.closed` (or `.updated`) with the dispute's status at that time. */
export function chargeDispute(
  type: 'charge.dispute.created' | 'charge.dispute.updated' | 'charge.dispute.closed',
  option: {
    disputeId: string;
    chargeId: string;
    paymentIntent: string;
    amount: number;
    status: Stripe.Dispute.Status;
    created?: number;
  },
) {
  const created = option.created ?? now();
  const dispute: DisputeShape = {
    id: option.disputeId,
    object: 'dispute',
    amount: option.amount,
    charge: option.chargeId,
    currency: 'gbp',
    payment_intent: option.paymentIntent,
    reason: 'product_not_received',
    status: option.status,
    is_charge_refundable: false,
    metadata: {},
    created,
    livemode: false,
  };
  return event(type, dispute, created);
}
