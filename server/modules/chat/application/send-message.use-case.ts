import { randomUUID } from 'node:crypto';
import { domainEvent, type EventActor } from '../../../shared/events/domain-event.js';
import { actorId, isStaff, type ChatActor } from '../domain/chat-actor.js';
import {
  toVisitorRow,
  VISITOR_DISPLAY_NAME,
  type ChatMessage,
  type ConversationRecord,
} from '../domain/chat.entity.js';
import { ConversationNotFound } from '../domain/chat.errors.js';
import { CHAT_EVENTS, type MessagePostedPayload } from '../domain/chat.events.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation } from './conversation-access.js';
import { storeGuest } from './resolve-guest.use-case.js';

export interface SendMessage {
  /** Absent for a site guest: their visitor conversation. */
  conversationId?: string;
  clientMessageId: string;
  body: string;
}

export interface SendMessageResult {
  message: ChatMessage;
  /** False when this clientMessageId was stored before: the first message is returned. */
  created: boolean;
}

export function eventActor(actor: ChatActor): EventActor {
  return actor.kind === 'user'
    ? { kind: 'user', id: actor.userId, role: actor.role }
    : { kind: 'guest', id: actor.guestId };
}

/**
 * Stores a message and its `chat.message_posted` event in one transaction. The seq comes from the
 * conversation row, incremented under its row lock: seqs are gapless and commit in seq order. A
 * retried clientMessageId (same sender and conversation) returns the first message; the check runs
 * again under the lock, and the unique index backs it. A guest's first message stores the guest.
 */
export async function sendMessage(
  deps: ChatDeps,
  actor: ChatActor,
  cmd: SendMessage,
  meta: { now: Date; requestId: string; correlationId?: string },
): Promise<SendMessageResult> {
  const senderId = actorId(actor);
  return deps.uow.run(async (work) => {
    let conversation: ConversationRecord;
    if (actor.kind === 'guest') {
      // A guest is stored with its first message: connecting stores nothing.
      const found =
        (await work.conversations.findVisitor(actor.guestId)) ??
        (await storeGuest(work, actor.guestId, meta.now));
      if (cmd.conversationId !== undefined && cmd.conversationId !== found.id)
        throw new ConversationNotFound();
      conversation = found;
    } else {
      conversation = (await accessConversation(work, actor, cmd.conversationId ?? '')).conversation;
    }
    const earlier = await work.messages.findByClientId(
      conversation.id,
      senderId,
      cmd.clientMessageId,
    );
    if (earlier) return { message: earlier, created: false };

    await work.conversations.find(conversation.id, { forUpdate: true });
    const raced = await work.messages.findByClientId(
      conversation.id,
      senderId,
      cmd.clientMessageId,
    );
    if (raced) return { message: raced, created: false };

    const visitorSide =
      conversation.kind !== 'visitor'
        ? null
        : actor.kind === 'guest'
          ? 'guest'
          : isStaff(actor)
            ? 'staff'
            : null;
    const after = await work.conversations.nextSeq(conversation.id, meta.now, visitorSide);
    const message = await work.messages.insert({
      id: randomUUID(),
      conversationId: conversation.id,
      seq: after.lastSeq,
      sender: {
        kind: actor.kind,
        id: senderId,
        displayName: actor.kind === 'user' ? actor.displayName : VISITOR_DISPLAY_NAME,
      },
      clientMessageId: cmd.clientMessageId,
      body: cmd.body,
      sentAt: meta.now,
    });
    // Unreachable while the lock serializes sends; rolling back keeps the seq gapless if it ever happens.
    if (!message) throw new Error('clientMessageId conflict under the conversation lock');
    if (actor.kind === 'guest') await work.guests.touch(actor.guestId, meta.now);

    const payload: MessagePostedPayload = {
      conversationKind: conversation.kind,
      guestId: conversation.guestId,
      message,
      visitor: conversation.kind === 'visitor' ? toVisitorRow(after) : null,
    };
    await work.appendEvent(
      domainEvent(CHAT_EVENTS.messagePosted, payload, {
        at: meta.now,
        requestId: meta.requestId,
        ...(meta.correlationId ? { correlationId: meta.correlationId } : {}),
        actor: eventActor(actor),
      }),
    );
    return { message, created: true };
  });
}
