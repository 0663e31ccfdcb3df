import type { RealtimeFanout } from '../../../shared/realtime/realtime.port.js';
import { SESSIONS_ENDED, type SessionsEndedPayload } from '../domain/identity.events.js';

/**
 * Closes the sockets of ended sessions (logout, password change, disabled user) on every instance:
 * each instance's fan-out runs this for the committed `identity.sessions_ended` event and closes
 * its own sockets of those sessions (4001).
 */
export function registerIdentityRealtime(fanout: RealtimeFanout): void {
  fanout.onEvent([SESSIONS_ENDED], (event, out) => {
    const { sessionIds, reason } = event.payload as SessionsEndedPayload;
    for (const sessionId of sessionIds) out.closeSessionSockets(sessionId, reason);
  });
}
