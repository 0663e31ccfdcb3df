import type { RealtimeFanout } from '../../../shared/realtime/realtime.port.js';
import {
  CREDITS_BALANCE_CHANGED,
  type CreditsBalanceChangedPayload,
} from '../domain/credits.events.js';

/**
 * Pushes every balance change to the client's own sockets (`user:<clientId>`) on every instance,
 * as the contract's `credits.balance_changed` message on the client channel.
 */
export function registerCreditsRealtime(fanout: RealtimeFanout): void {
  fanout.onEvent([CREDITS_BALANCE_CHANGED], (event, out) => {
    const { clientId, ...payload } = event.payload as CreditsBalanceChangedPayload;
    out.publish(`user:${clientId}`, CREDITS_BALANCE_CHANGED, payload);
  });
}
