import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import { actorId, type ChatActor } from '../domain/chat-actor.js';
import { CHAT_EVENTS, type ReceiptPayload } from '../domain/chat.events.js';
import type { ChatDeps } from './chat.ports.js';
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
  await deps.db.tx(async (tx) => {
    const { conversation } = await accessConversation(deps.repo, tx, actor, cmd.conversationId);
    const upToSeq = Math.min(cmd.upToSeq, conversation.lastSeq);
    if (upToSeq < 1) return;
    const readerId = actorId(actor);
    if (!(await deps.repo.advanceMarker(tx, conversation.id, readerId, cmd.kind, upToSeq))) return;
    const payload: ReceiptPayload = {
      kind: cmd.kind,
      conversationId: conversation.id,
      userId: readerId,
      upToSeq,
      guestId: conversation.guestId,
      conversationKind: conversation.kind,
    };
    await appendToOutbox(
      tx,
      domainEvent(CHAT_EVENTS.receipt, payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: eventActor(actor),
      }),
    );
  });
}
