import type { UserActor } from '../domain/chat-actor.js';
import type { ChatDeps } from './chat.deps.js';

/** The conversations whose live frames a signed-in user's socket receives: the lobby and their rooms and sub-lobbies. */
export async function socketConversations(
  deps: ChatDeps,
  actor: UserActor,
): Promise<{ lobbyId: string; conversationIds: string[] }> {
  const lobbyId = await deps.uow.read((chatRepos) => chatRepos.conversations.lobbyId());
  const memberOf = await deps.uow.read((chatRepos) =>
    chatRepos.members.conversationIdsOf(actor.userId),
  );
  return { lobbyId, conversationIds: [lobbyId, ...memberOf] };
}

/**
 * Which of these users may still receive a room's or sub-lobby's frames: a socket's subscription
 * can outlive its membership (a removal this instance never heard of, or one that raced the
 * socket's connect), so delivery asks the table.
 */
export async function currentMembers(
  deps: ChatDeps,
  conversationId: string,
  userIds: readonly string[],
): Promise<ReadonlySet<string>> {
  if (userIds.length === 0) return new Set();
  return new Set(
    await deps.uow.read((chatRepos) => chatRepos.members.among(conversationId, userIds)),
  );
}
