import type { ChatActor } from '../domain/chat-actor.js';
import type { Member } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';
import type { MemberRecord } from './member.repository.port.js';
import { accessConversation } from './conversation-access.js';

/** Adds display names from the user directory. */
export async function withNames(deps: ChatDeps, records: MemberRecord[]): Promise<Member[]> {
  const users = new Map(
    (await deps.users.findUsers(records.map((r) => r.userId))).map((u) => [u.id, u]),
  );
  return records.map((r) => ({
    userId: r.userId,
    displayName: users.get(r.userId)?.displayName ?? 'Former user',
    role: r.role,
    joinedAt: r.joinedAt,
  }));
}

/** Members of a room or sub-lobby with their roles (the lobby and visitor conversations have none). */
export async function listMembers(
  deps: ChatDeps,
  actor: ChatActor,
  conversationId: string,
): Promise<Member[]> {
  const records = await deps.uow.read(async (r) => {
    await accessConversation(r, actor, conversationId);
    return r.members.list(conversationId);
  });
  return withNames(deps, records);
}
