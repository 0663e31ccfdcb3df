import type { SessionInfo } from '../../../shared/http/request-context.js';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import { hashToken } from '../../../shared/crypto/tokens.js';
import { permissionsOf } from '../domain/role.js';
import type { IdentityDeps } from './identity.deps.js';

/** Looks a cookie's token up on its surface and refreshes the idle timeout (BalanceGuard's SessionPort). */
export async function resolveSession(
  deps: IdentityDeps,
  surface: SessionSurface,
  token: string,
  now: Date,
): Promise<SessionInfo | null> {
  const live = await deps.uow.read(({ sessions }) =>
    sessions.touch(hashToken(token), surface, now, deps.sessionPolicy.idleMs[surface]),
  );
  if (!live) return null;
  return {
    sessionId: live.id,
    userId: live.userId,
    email: live.user.email,
    displayName: live.user.displayName,
    role: live.user.role,
    permissions: permissionsOf(live.user.role),
    csrfToken: live.csrfToken,
    createdAt: live.createdAt,
    idleExpiresAt: live.idleExpiresAt,
    absoluteExpiresAt: live.absoluteExpiresAt,
  };
}
