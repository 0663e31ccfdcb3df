import { sessionsEnded } from './session-events.js';
import type { Caller, IdentityDeps } from './identity.deps.js';

/** Revokes the caller's session on the server (the cookie is cleared by the caller). */
export async function logout(
  deps: IdentityDeps,
  session: { sessionId: string; userId: string },
  caller: Caller,
): Promise<void> {
  await deps.uow.run(async (uow) => {
    const ended = await uow.sessions.revoke({ sessionId: session.sessionId }, 'logout', caller.now);
    if (ended.length > 0)
      await uow.appendEvent(sessionsEnded(session.userId, ended, 'logout', caller));
  });
}
