import type { Role, UserStatus } from '../domain/role.js';
import { toUserView, type UserView } from '../domain/user.entity.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import type { IdentityDeps } from './identity.deps.js';

export interface ListUsersQuery {
  cursor?: string;
  limit?: number;
  role?: Role;
  status?: UserStatus;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Newest first; `nextCursor` is null on the last page. */
export async function listUsers(deps: IdentityDeps, q: ListUsersQuery): Promise<{ items: UserView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(1, q.limit ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const after = decodeCursor(q.cursor);
  const rows = await deps.users.page({
    limit: limit + 1,
    ...(q.role ? { role: q.role } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(after ? { after: { createdAt: new Date(after.createdAt), id: after.id } } : {}),
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toUserView), nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
}
