import Stripe from 'stripe';
import { SignatureInvalid } from '../domain/billing.errors.js';
import type { WebhookVerifier } from '../application/webhook-verifier.port.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

/**
 * Verifies `Stripe-Signature` with the SDK's own `constructEvent` over the raw bytes, with the
 * SDK's default tolerance (300 s). Never pass a tolerance: 0 would switch the timestamp check off.
 */
export function createStripeWebhookVerifier(secret: string): WebhookVerifier {
  return {
    verify(rawBody, header) {
      if (!header) throw new SignatureInvalid('The Stripe-Signature header is missing.');
      try {
        return Stripe.webhooks.constructEvent(
          rawBody,
          header,
          secret,
        ) as unknown as StripeEventLike;
      } catch (err) {
        if (err instanceof Stripe.errors.StripeSignatureVerificationError)
          throw new SignatureInvalid(err.message.split('\n')[0] ?? 'The signature does not match.');
        throw err;
      }
    },
  };
}
