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
export async function listUsers(
  deps: IdentityDeps,
  listUsersQuery: ListUsersQuery,
): Promise<Page<UserView>> {
  const page = await keysetPage(
    listUsersQuery,
    (after, limit) =>
      deps.uow.read(({ users }) =>
        users.page({
          limit,
          ...(listUsersQuery.role ? { role: listUsersQuery.role } : {}),
          ...(listUsersQuery.status ? { status: listUsersQuery.status } : {}),
          ...(after ? { after: { createdAt: new Date(after.createdAt), id: after.id } } : {}),
        }),
      ),
    (user) => ({ createdAt: user.createdAt.toISOString(), id: user.id }),
  );
  return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
}
