import type { ModerationEntry } from '../domain/chat.entity.js';
import { MessageNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';

/** A message's audit trail, oldest first (staff with `chat:moderate`). */
export async function listModeration(
  deps: ChatDeps,
  messageId: string,
): Promise<ModerationEntry[]> {
  return deps.uow.read(async (chatRepos) => {
    if (!(await chatRepos.messages.find(messageId))) throw new MessageNotFound();
    return chatRepos.moderation.list(messageId);
  });
}
