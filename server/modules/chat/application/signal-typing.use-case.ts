import { actorId, type ChatActor } from '../domain/chat-actor.js';
import { TYPING_TTL_MS, VISITOR_DISPLAY_NAME } from '../domain/chat.entity.js';
import type { ConversationRoute } from '../domain/chat.events.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation } from './conversation-access.js';

export type TypingNotice = ConversationRoute & {
  conversationId: string;
  userId: string;
  displayName: string;
  isTyping: boolean;
  expiresAt: string;
};

/**
 * Checks the actor may type in the conversation and describes the ephemeral indicator (shown for
 * six seconds unless repeated). Nothing is stored: the transport broadcasts it. Null for a guest
 * that has not written yet: no one can see its conversation, so there is no one to tell.
 */
export async function signalTyping(
  deps: ChatDeps,
  actor: ChatActor,
  cmd: { conversationId?: string; isTyping: boolean },
  now: Date,
): Promise<TypingNotice | null> {
  const conversation =
    actor.kind === 'guest' && cmd.conversationId === undefined
      ? await deps.uow.read((chatRepos) => chatRepos.conversations.findVisitor(actor.guestId))
      : (
          await deps.uow.read((chatRepos) =>
            accessConversation(chatRepos, actor, cmd.conversationId ?? ''),
          )
        ).conversation;
  if (!conversation) return null;
  if (actor.kind === 'guest') await deps.uow.run((work) => work.guests.touch(actor.guestId, now));
  return {
    conversationKind: conversation.kind,
    guestId: conversation.guestId,
    conversationId: conversation.id,
    userId: actorId(actor),
    displayName: actor.kind === 'user' ? actor.displayName : VISITOR_DISPLAY_NAME,
    isTyping: cmd.isTyping,
    expiresAt: new Date(now.getTime() + TYPING_TTL_MS).toISOString(),
  };
}
