import { randomUUID } from 'node:crypto';
import { NotAllowed, PasswordRejected } from '../domain/identity.errors.js';
import { checkPassword } from '../domain/password-policy.js';
import { mayManage, type StaffRole } from '../domain/role.js';
import { toUserView, type UserView } from '../domain/user.entity.js';
import type { Caller, IdentityDeps } from './identity.deps.js';

export interface CreateStaffUserCommand {
  email: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

/** An admin creates a staff or admin user; a duplicate e-mail is `EmailTaken` (race-safe: the unique index decides). */
export async function createStaffUser(
  deps: IdentityDeps,
  cmd: CreateStaffUserCommand,
  caller: Caller,
): Promise<UserView> {
  if (!mayManage(caller.actor?.role ?? '', cmd.role))
    throw new NotAllowed('Only a super_admin may create that role.');
  const verdict = checkPassword(deps.passwordPolicy, cmd.password, cmd.email);
  if (!verdict.ok) throw new PasswordRejected(verdict.reason);
  const passwordHash = await deps.hasher.hash(cmd.password);
  const user = await deps.uow.run(({ users }) =>
    users.insert({
      id: randomUUID(),
      email: cmd.email.trim(),
      displayName: cmd.displayName,
      role: cmd.role,
      passwordHash,
      createdAt: caller.now,
    }),
  );
  deps.log.info(
    {
      requestId: caller.requestId,
      userId: user.id,
      by: caller.actor?.userId,
      event: 'staff_user_created',
    },
    'staff user created',
  );
  return toUserView(user);
}
