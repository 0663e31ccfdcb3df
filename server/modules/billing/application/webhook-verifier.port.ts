import type { StripeEventLike } from '../domain/stripe-event.js';

/** Verifies a webhook's signature over the raw body; throws `BILLING.SIGNATURE_INVALID`. */
export interface WebhookVerifier {
  verify(rawBody: Buffer, signatureHeader: string | undefined): StripeEventLike;
}
