import type { ChatActor } from '../domain/chat-actor.js';
import type { Member } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';
import type { MemberRecord } from './member.repository.port.js';
import { accessConversation } from './conversation-access.js';

/** Adds display names from the user directory. */
export async function withNames(deps: ChatDeps, records: MemberRecord[]): Promise<Member[]> {
  const users = new Map(
    (await deps.users.findUsers(records.map((record) => record.userId))).map((user) => [
      user.id,
      user,
    ]),
  );
  return records.map((record) => ({
    userId: record.userId,
    displayName: users.get(record.userId)?.displayName ?? 'Former user',
    role: record.role,
    joinedAt: record.joinedAt,
  }));
}

/** Members of a room or sub-lobby with their roles (the lobby and visitor conversations have none). */
export async function listMembers(
  deps: ChatDeps,
  actor: ChatActor,
  conversationId: string,
): Promise<Member[]> {
  const records = await deps.uow.read(async (chatRepos) => {
    await accessConversation(chatRepos, actor, conversationId);
    return chatRepos.members.list(conversationId);
  });
  return withNames(deps, records);
}
