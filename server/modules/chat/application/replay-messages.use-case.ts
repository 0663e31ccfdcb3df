import type { ChatActor } from '../domain/chat-actor.js';
import { MAX_PAGE, type ChatMessage } from '../domain/chat.entity.js';
import { ConversationNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.ports.js';
import { accessConversation } from './conversation-access.js';
import { visitorConversationId } from './resolve-guest.use-case.js';

/**
 * Catch-up after a reconnect: hands every message after `afterSeq` to `emit`, in seq order, in
 * pages, until none is left; returns the seq the replay is complete up to. The socket subscribed to
 * the conversation before the replay started, so a message committed meanwhile either is read here
 * or arrives live (or both: the client drops a seq it holds). Seqs commit in order, so each page is
 * a gapless run.
 */
export async function replayMessages(
  deps: ChatDeps,
  actor: ChatActor,
  cmd: { conversationId?: string; afterSeq: number },
  emit: (message: ChatMessage) => void,
): Promise<{ conversationId: string; lastSeq: number }> {
  const guestOwn = actor.kind === 'guest' && cmd.conversationId === undefined;
  const conversation = guestOwn
    ? await deps.repo.findVisitorConversation(deps.db, actor.guestId)
    : (await accessConversation(deps.repo, deps.db, actor, cmd.conversationId ?? '')).conversation;
  // A guest that has not written yet has an empty conversation, not stored until its first message.
  if (!conversation && guestOwn) return { conversationId: visitorConversationId(actor.guestId), lastSeq: 0 };
  if (!conversation) throw new ConversationNotFound();
  let cursor = Math.min(cmd.afterSeq, conversation.lastSeq);
  for (;;) {
    const page = await deps.repo.listMessages(deps.db, conversation.id, { afterSeq: cursor, limit: MAX_PAGE });
    for (const message of page) {
      emit(message);
      cursor = message.seq;
    }
    if (page.length < MAX_PAGE) return { conversationId: conversation.id, lastSeq: cursor };
  }
}
