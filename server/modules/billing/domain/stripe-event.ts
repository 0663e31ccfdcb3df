/**
 * The few fields of Stripe events BK reads, as plain structural types (the domain does not import
 * the SDK). Names and shapes follow Stripe's API; everything else in the payload is ignored.
 */
export interface StripeEventLike {
  id: string;
  type: string;
  created: number;
  livemode?: boolean;
  data: { object: Record<string, unknown> };
}

export interface CheckoutSessionObject {
  id: string;
  mode: 'payment' | 'subscription' | 'setup';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_total: number | null;
  currency: string | null;
  payment_intent: string | { id: string } | null;
  subscription: string | { id: string } | null;
  client_reference_id: string | null;
  metadata: Record<string, string> | null;
}

export interface ChargeObject {
  id: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string | { id: string } | null;
}

export interface InvoiceObject {
  id: string;
  amount_paid: number;
  currency: string;
  /** Only when expanded (or sent by the local provider): which payment intents paid it. */
  payments?: {
    data?: {
      amount_paid?: number | null;
      payment?: { payment_intent?: string | { id: string } | null } | null;
    }[];
  } | null;
  /** Stripe API 2025+: where the subscription of an invoice lives. */
  parent?: {
    subscription_details?: {
      subscription?: string | { id: string };
      metadata?: Record<string, string> | null;
    } | null;
  } | null;
  /** Older API versions. */
  subscription?: string | { id: string } | null;
  subscription_details?: { metadata?: Record<string, string> | null } | null;
  lines?: {
    data?: {
      description?: string | null;
      amount: number;
      quantity?: number | null;
      period?: { start: number; end: number };
    }[];
  };
}

/** `invoice_payment.paid`: a payment intent paid an invoice. */
export interface InvoicePaymentObject {
  id: string;
  amount_paid: number | null;
  currency: string;
  invoice: string | { id: string };
  payment: { type: string; payment_intent?: string | { id: string } | null };
}

/** `charge.dispute.*`: a chargeback and its status. */
export interface DisputeObject {
  id: string;
  amount: number;
  currency: string;
  charge: string | { id: string };
  payment_intent: string | { id: string } | null;
  reason: string | null;
  status: string;
}

/** Dispute statuses after which the money is back with the merchant (nothing is held any more). */
export const DISPUTE_RELEASED: readonly string[] = ['won', 'warning_closed', 'prevented'];
/** Dispute statuses that end a dispute. */
export const DISPUTE_CLOSED: readonly string[] = ['won', 'lost', 'warning_closed', 'prevented'];

export interface SubscriptionObject {
  id: string;
  status: string;
  cancel_at_period_end: boolean;
  pause_collection: unknown;
  metadata: Record<string, string> | null;
  current_period_end?: number;
  items?: { data?: { current_period_end?: number }[] };
}

export const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;
