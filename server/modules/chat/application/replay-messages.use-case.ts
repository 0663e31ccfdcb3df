import type { ChatActor } from '../domain/chat-actor.js';
import { MAX_PAGE, type ChatMessage } from '../domain/chat.entity.js';
import { ConversationNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation } from './conversation-access.js';
import { visitorConversationId } from './resolve-guest.use-case.js';

export interface ReplayOptions {
  /** The most messages to hand to `emit`; past it the answer says `hasMore`. */
  limit: number;
  /** True once no one is listening (the socket closed): the replay stops reading. */
  stopped(): boolean;
}

export interface Replayed {
  conversationId: string;
  /** The seq the replay is complete up to. */
  lastSeq: number;
  /** Messages after `lastSeq` remain: the replay stopped at its limit. */
  hasMore: boolean;
}

/**
 * Catch-up after a reconnect: hands the messages after `afterSeq` to `emit`, in seq order, up to
 * `limit` of them. The socket subscribed to the conversation before the replay started, so a
 * message committed meanwhile either is read here or arrives live (or both: the client drops a seq
 * it holds). Seqs commit in order, so each page is a gapless run.
 */
export async function replayMessages(
  deps: ChatDeps,
  actor: ChatActor,
  cmd: { conversationId?: string; afterSeq: number },
  emit: (message: ChatMessage) => void,
  options: ReplayOptions,
): Promise<Replayed> {
  const guestOwn = actor.kind === 'guest' && cmd.conversationId === undefined;
  const conversation = guestOwn
    ? await deps.uow.read((chatRepos) => chatRepos.conversations.findVisitor(actor.guestId))
    : (
        await deps.uow.read((chatRepos) =>
          accessConversation(chatRepos, actor, cmd.conversationId ?? ''),
        )
      ).conversation;
  // A guest that has not written yet has an empty conversation, not stored until its first message.
  if (!conversation && guestOwn)
    return { conversationId: visitorConversationId(actor.guestId), lastSeq: 0, hasMore: false };
  if (!conversation) throw new ConversationNotFound();
  const conversationId = conversation.id;
  let cursor = Math.min(cmd.afterSeq, conversation.lastSeq);
  let left = options.limit;
  if (left <= 0) return { conversationId, lastSeq: cursor, hasMore: cursor < conversation.lastSeq };
  for (;;) {
    const want = Math.min(left, MAX_PAGE);
    // One more than wanted tells whether more remain without another query.
    const page = await deps.uow.read((chatRepos) =>
      chatRepos.messages.list(conversationId, {
        afterSeq: cursor,
        limit: want + 1,
      }),
    );
    if (options.stopped()) return { conversationId, lastSeq: cursor, hasMore: true };
    const shown = Math.min(page.length, want);
    for (let index = 0; index < shown; index++) {
      emit(page[index]!);
      cursor = page[index]!.seq;
    }
    left -= shown;
    if (page.length <= want) return { conversationId, lastSeq: cursor, hasMore: false };
    if (left === 0) return { conversationId, lastSeq: cursor, hasMore: true };
  }
}
