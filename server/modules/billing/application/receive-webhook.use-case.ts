import type { BillingDeps } from './billing.deps.js';
import { storeProviderEvent } from './store-provider-event.use-case.js';

/**
 * The webhook: the signature is checked over the exact bytes received (a bad one throws before
 * anything is written), then the event is stored once and acknowledged. A database failure
 * propagates as a 5xx, so Stripe delivers again.
 */
export async function receiveWebhook(
  deps: BillingDeps,
  input: { rawBody: Buffer; signature: string | undefined },
  meta: { now: Date; requestId: string },
): Promise<{ duplicate: boolean }> {
  const event = deps.verifier.verify(input.rawBody, input.signature);
  return storeProviderEvent(deps, event, {
    now: meta.now,
    source: 'webhook',
    requestId: meta.requestId,
  });
}
