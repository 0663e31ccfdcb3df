import { deleteInBatches } from '../../../shared/jobs/housekeeping.js';
import type { IdentityDeps } from './identity.deps.js';

/** Ended sessions are kept this long by default (their address, user agent and revocation reason help an investigation). */
export const ENDED_SESSION_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * Housekeeping: deletes sessions that ended longer ago than their retention (a week unless
 * configured) and sign-in throttle keys that hold nothing any more: failures forgotten, no wait,
 * no recent right password (a known network). Live sessions and running waits are never touched,
 * and running it twice at once (two instances) only splits the work.
 */
export async function purgeExpired(
  deps: Pick<IdentityDeps, 'sessions' | 'throttle' | 'throttlePolicy'>,
  now: Date,
  retention: { endedSessionsMs?: number } = {},
): Promise<{ sessions: number; throttleKeys: number }> {
  const endedBefore = new Date(
    now.getTime() - (retention.endedSessionsMs ?? ENDED_SESSION_RETENTION_MS),
  );
  const policy = deps.throttlePolicy;
  const forgetAfterMs = Math.max(
    policy.accountNetwork.forgetAfterMs,
    policy.network.forgetAfterMs,
    policy.account.forgetAfterMs,
  );
  const sessions = await deleteInBatches((limit) => deps.sessions.deleteEnded(endedBefore, limit));
  const throttleKeys = await deleteInBatches((limit) =>
    deps.throttle.deleteStale(now, forgetAfterMs, policy.knownNetworkMs, limit),
  );
  return { sessions, throttleKeys };
}
