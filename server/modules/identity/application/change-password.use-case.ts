import { CurrentPasswordWrong, PasswordRejected } from '../domain/identity.errors.js';
import { checkPassword } from '../domain/password-policy.js';
import { normalizeEmail } from '../domain/user.entity.js';
import { AppError } from '../../../shared/errors/app-error.js';
import { sessionsEnded } from './session-events.js';
import type { Caller, IdentityDeps } from './identity.deps.js';
import {
  attemptKeys,
  passwordAttemptSucceeded,
  reservePasswordAttempt,
} from './sign-in-throttle.js';

export interface ChangePasswordCommand {
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
}

/**
 * Needs the current password; ends every other session of the user, this one goes on. Guesses of
 * the current password (a stolen session) go through the sign-in throttle of the account on the
 * caller's network, reserved before verifying, exactly like sign-in attempts.
 */
export async function changePassword(
  deps: IdentityDeps,
  cmd: ChangePasswordCommand,
  caller: Caller,
): Promise<void> {
  const user = await deps.users.findById(cmd.userId);
  if (!user || user.status !== 'active') throw new AppError('AUTH.UNAUTHENTICATED');
  const keys = attemptKeys(normalizeEmail(user.email), caller.ip);
  await reservePasswordAttempt(deps, keys, caller.now);
  if (!(await deps.hasher.verify(user.passwordHash, cmd.currentPassword)))
    throw new CurrentPasswordWrong();
  await passwordAttemptSucceeded(deps, keys, caller.now);
  const verdict = checkPassword(deps.passwordPolicy, cmd.newPassword, user.email);
  if (!verdict.ok) throw new PasswordRejected(verdict.reason);
  const passwordHash = await deps.hasher.hash(cmd.newPassword);
  await deps.transactions.run(async (uow) => {
    await uow.users.updatePasswordHash(user.id, passwordHash, caller.now);
    const ended = await uow.sessions.revoke(
      { userId: user.id, exceptSessionId: cmd.sessionId },
      'password_changed',
      caller.now,
    );
    if (ended.length > 0)
      await uow.appendEvent(sessionsEnded(user.id, ended, 'password_changed', caller));
  });
  deps.log.info(
    { requestId: caller.requestId, userId: user.id, event: 'password_changed' },
    'password changed',
  );
}
