/**
 * The local payment provider's own checkout page (development and tests): what a session shows and
 * what "Pay" does. Stripe has its own page; this stands in for it.
 */
export interface LocalCheckout {
  /**
   * "Pay" on the local checkout page: sends the events Stripe would, signed, to the webhook. null:
   * no such session; 'expired': the session was expired (its record cancelled) and takes no payment.
   */
  pay(sessionId: string, webhookBase?: string): Promise<{ delivered: number[] } | 'expired' | null>;
  /** What the local checkout page shows for a session, or null when it is not a local session. */
  describe(sessionId: string): Promise<LocalCheckoutView | null>;
}

export interface LocalCheckoutView {
  amountMinor: number;
  currency: string;
  mode: 'payment' | 'subscription';
  status: string;
  lines: { description: string; quantity: number; unitAmountMinor: number }[];
}
