import { randomUUID } from 'node:crypto';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { isGlobalModerator, type UserActor } from '../domain/chat-actor.js';
import { canModerate } from '../domain/chat-policy.js';
import type { ChatMessage } from '../domain/chat.entity.js';
import { ChatNotAllowed, ConversationNotFound, MessageNotFound } from '../domain/chat.errors.js';
import { CHAT_EVENTS, type MessageUpdatedPayload } from '../domain/chat.events.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation } from './conversation-access.js';
import { eventActor } from './send-message.use-case.js';

export type ModerateMessage = { messageId: string; reason: string } & (
  { action: 'edit'; body: string } | { action: 'delete' }
);

/**
 * Edits or soft-deletes a message (the seq stays, the body becomes null), with an audit entry and a
 * `chat.message_updated` event in one transaction. Room and sub-lobby owners and moderators
 * moderate their conversation; staff with `chat:moderate` on the admin surface moderate anywhere.
 * Deleting a deleted message changes nothing; editing one is refused.
 */
export async function moderateMessage(
  deps: ChatDeps,
  actor: UserActor,
  cmd: ModerateMessage,
  meta: { now: Date; requestId: string },
): Promise<ChatMessage> {
  return deps.uow.run(async (work) => {
    const message = await work.messages.find(cmd.messageId, { forUpdate: true });
    if (!message) throw new MessageNotFound();
    let conversation;
    if (isGlobalModerator(actor)) {
      conversation = (await work.conversations.find(message.conversationId))!;
    } else {
      let access;
      try {
        access = await accessConversation(work, actor, message.conversationId);
      } catch (err) {
        if (err instanceof ConversationNotFound) throw new MessageNotFound();
        throw err;
      }
      if (!canModerate(access.role))
        throw new ChatNotAllowed('Only owners and moderators edit or delete messages.');
      conversation = access.conversation;
    }
    if (message.deleted) {
      if (cmd.action === 'delete') return message;
      throw new ChatNotAllowed('A deleted message cannot be edited.');
    }
    const updated =
      cmd.action === 'edit'
        ? await work.messages.update(message.messageId, {
            body: cmd.body,
            editedAt: meta.now,
          })
        : await work.messages.update(message.messageId, { body: null, deletedAt: meta.now });
    await work.moderation.insert({
      id: randomUUID(),
      messageId: message.messageId,
      conversationId: message.conversationId,
      actorId: actor.userId,
      action: cmd.action,
      before: message.body,
      after: updated.body,
      reason: cmd.reason.trim() || cmd.reason,
      at: meta.now.toISOString(),
    });
    const payload: MessageUpdatedPayload = {
      conversationKind: conversation.kind,
      guestId: conversation.guestId,
      message: updated,
      action: cmd.action,
    };
    await work.appendEvent(
      domainEvent(CHAT_EVENTS.messageUpdated, payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: eventActor(actor),
      }),
    );
    return updated;
  });
}
