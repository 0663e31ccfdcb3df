import type { Role, UserStatus } from '../domain/role.js';
import type { IdentityDeps } from './identity.deps.js';

/** What other modules may know about a user: no e-mail, no hash. */
export interface UserSummary {
  id: string;
  displayName: string;
  role: Role;
  status: UserStatus;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The users with these ids that exist (unknown or malformed ids are left out), in no particular order. */
export async function findUsers(
  deps: Pick<IdentityDeps, 'uow'>,
  ids: readonly string[],
): Promise<UserSummary[]> {
  const unique = [...new Set(ids.filter((id) => UUID.test(id)))];
  const found = await Promise.all(
    unique.map((id) => deps.uow.read(({ users }) => users.findById(id))),
  );
  return found
    .filter((user) => user !== null)
    .map((user) => ({
      id: user.id,
      displayName: user.displayName,
      role: user.role,
      status: user.status,
    }));
}
