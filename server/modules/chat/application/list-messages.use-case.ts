import type { ChatActor } from '../domain/chat-actor.js';
import { DEFAULT_PAGE, MAX_PAGE, type ChatMessage } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation } from './conversation-access.js';

export interface ListMessages {
  conversationId: string;
  beforeSeq?: number;
  afterSeq?: number;
  limit?: number;
}

/**
 * History in ascending seq. `afterSeq`: the oldest messages above it (catch-up); otherwise the
 * newest below `beforeSeq` (or the newest of all). `hasMore`: more lie beyond the page in the
 * direction asked for.
 */
export async function listMessages(
  deps: ChatDeps,
  actor: ChatActor,
  query: ListMessages,
): Promise<{ items: ChatMessage[]; hasMore: boolean }> {
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const rows = await deps.uow.read(async (chatRepos) => {
    await accessConversation(chatRepos, actor, query.conversationId);
    return chatRepos.messages.list(query.conversationId, {
      ...(query.afterSeq !== undefined ? { afterSeq: query.afterSeq } : {}),
      ...(query.beforeSeq !== undefined ? { beforeSeq: query.beforeSeq } : {}),
      limit: limit + 1,
    });
  });
  const hasMore = rows.length > limit;
  if (!hasMore) return { items: rows, hasMore };
  return {
    items: query.afterSeq !== undefined ? rows.slice(0, limit) : rows.slice(rows.length - limit),
    hasMore,
  };
}
