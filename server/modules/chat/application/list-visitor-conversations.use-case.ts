import type { VisitorConversation } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';

/** The visitor inbox: conversations with messages, waiting ones first, newest first within each. */
export async function listVisitorConversations(deps: ChatDeps): Promise<VisitorConversation[]> {
  return deps.uow.read((chatRepos) => chatRepos.conversations.visitorInbox(200));
}
