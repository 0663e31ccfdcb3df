import { isStaff, type UserActor } from '../domain/chat-actor.js';
import type { Conversation } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';

/** The lobby, my sub-lobbies and rooms, and for staff every visitor conversation with messages; each with my unread count. */
export async function listConversations(deps: ChatDeps, actor: UserActor): Promise<Conversation[]> {
  return deps.uow.read((chatRepos) =>
    chatRepos.conversations.listFor(actor.userId, isStaff(actor)),
  );
}
