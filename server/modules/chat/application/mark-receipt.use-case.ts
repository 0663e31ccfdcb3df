import { domainEvent } from '../../../shared/events/domain-event.js';
import { actorId, type ChatActor } from '../domain/chat-actor.js';
import { CHAT_EVENTS, type ReceiptPayload } from '../domain/chat.events.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation } from './conversation-access.js';
import { eventActor } from './send-message.use-case.js';

/**
 * Moves the caller's read or delivered marker forward (never back; capped at the conversation's
 * last seq). When it moved, a `chat.receipt` event tells the members.
 */
export async function markReceipt(
  deps: ChatDeps,
  actor: ChatActor,
  cmd: { conversationId: string; kind: 'read' | 'delivered'; upToSeq: number },
  meta: { now: Date; requestId: string },
): Promise<void> {
  await deps.uow.run(async (work) => {
    const { conversation } = await accessConversation(work, actor, cmd.conversationId);
    const upToSeq = Math.min(cmd.upToSeq, conversation.lastSeq);
    if (upToSeq < 1) return;
    const readerId = actorId(actor);
    if (!(await work.receipts.advance(conversation.id, readerId, cmd.kind, upToSeq))) return;
    const payload: ReceiptPayload = {
      kind: cmd.kind,
      conversationId: conversation.id,
      userId: readerId,
      upToSeq,
      guestId: conversation.guestId,
      conversationKind: conversation.kind,
    };
    await work.appendEvent(
      domainEvent(CHAT_EVENTS.receipt, payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: eventActor(actor),
      }),
    );
  });
}
