import type { ModerationEntry } from '../domain/chat.entity.js';
import { MessageNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.ports.js';

/** A message's audit trail, oldest first (staff with `chat:moderate`). */
export async function listModeration(
  deps: ChatDeps,
  messageId: string,
): Promise<ModerationEntry[]> {
  if (!(await deps.repo.findMessage(deps.db, messageId))) throw new MessageNotFound();
  return deps.repo.listModeration(deps.db, messageId);
}
