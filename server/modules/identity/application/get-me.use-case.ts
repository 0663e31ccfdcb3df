import type { SessionInfo } from '../../../shared/http/request-context.js';
import { toAuthSessionView, type AuthSessionView } from './auth-session.view.js';
import type { IdentityDeps } from './identity.deps.js';
import { AppError } from '../../../shared/errors/app-error.js';

/** The session's user, CSRF token and expiry times (the idle expiry was refreshed by resolving it). */
export async function getMe(deps: IdentityDeps, session: SessionInfo): Promise<AuthSessionView> {
  const user = await deps.uow.read(({ users }) => users.findById(session.userId));
  // Resolution checked the user a moment ago; a user deleted since is simply signed out.
  if (!user || user.status !== 'active') throw new AppError('AUTH.UNAUTHENTICATED');
  return toAuthSessionView(user, session.csrfToken, session);
}
