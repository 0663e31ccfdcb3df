import { CannotDisableSelf, NotAllowed, UserNotFound } from '../domain/identity.errors.js';
import { mayManage } from '../domain/role.js';
import { toUserView, type UserView } from '../domain/user.entity.js';
import { sessionsEnded } from './session-events.js';
import type { Caller, IdentityDeps } from './identity.deps.js';

/** The user can no longer sign in and every session of theirs ends in the same transaction. Idempotent. */
export async function disableUser(
  deps: IdentityDeps,
  userId: string,
  caller: Caller,
): Promise<UserView> {
  if (caller.actor?.userId === userId) throw new CannotDisableSelf();
  const target = await deps.uow.read(({ users }) => users.findById(userId));
  if (!target) throw new UserNotFound();
  if (!mayManage(caller.actor?.role ?? '', target.role))
    throw new NotAllowed('Only a super_admin may disable a super_admin.');
  const disabled = await deps.uow.run(async (uow) => {
    const user = await uow.users.setStatus(userId, 'disabled', caller.now);
    if (!user) throw new UserNotFound();
    const ended = await uow.sessions.revoke({ userId }, 'user_disabled', caller.now);
    if (ended.length > 0)
      await uow.appendEvent(sessionsEnded(userId, ended, 'user_disabled', caller));
    return user;
  });
  deps.log.info(
    { requestId: caller.requestId, userId, by: caller.actor?.userId, event: 'user_disabled' },
    'user disabled',
  );
  return toUserView(disabled);
}
