import type { Role, UserStatus } from '../domain/role.js';
import { toUserView, type UserView } from '../domain/user.entity.js';
import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { IdentityDeps } from './identity.deps.js';

export interface ListUsersQuery {
  cursor?: string;
  limit?: number;
  role?: Role;
  status?: UserStatus;
}

/** Newest first; `nextCursor` is null on the last page. */
export async function listUsers(deps: IdentityDeps, q: ListUsersQuery): Promise<Page<UserView>> {
  const page = await keysetPage(
    q,
    (after, limit) =>
      deps.users.page({
        limit,
        ...(q.role ? { role: q.role } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(after ? { after: { createdAt: new Date(after.createdAt), id: after.id } } : {}),
      }),
    (u) => ({ createdAt: u.createdAt.toISOString(), id: u.id }),
  );
  return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
}
