import type { UserActor } from '../domain/chat-actor.js';
import type { ChatDeps } from './chat.ports.js';

/** The conversations whose live frames a signed-in user's socket receives: the lobby and their rooms and sub-lobbies. */
export async function socketConversations(deps: ChatDeps, actor: UserActor): Promise<{ lobbyId: string; conversationIds: string[] }> {
  const lobbyId = await deps.repo.lobbyId(deps.db);
  return { lobbyId, conversationIds: [lobbyId, ...(await deps.repo.memberConversationIds(deps.db, actor.userId))] };
}
