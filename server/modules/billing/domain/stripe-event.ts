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
  /** Stripe API 2025+: where the subscription of an invoice lives. */
  parent?: { subscription_details?: { subscription?: string | { id: string }; metadata?: Record<string, string> | null } | null } | null;
  /** Older API versions. */
  subscription?: string | { id: string } | null;
  subscription_details?: { metadata?: Record<string, string> | null } | null;
  lines?: { data?: { description?: string | null; amount: number; quantity?: number | null; period?: { start: number; end: number } }[] };
}

export interface SubscriptionObject {
  id: string;
  status: string;
  cancel_at_period_end: boolean;
  pause_collection: unknown;
  metadata: Record<string, string> | null;
  current_period_end?: number;
  items?: { data?: { current_period_end?: number }[] };
}

export const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === 'string' ? v : v.id);
