import type { ChatMessage } from '../domain/chat.entity.js';

/** `chat.message_accepted`: the server's ids, seq and time for the sender's clientMessageId. */
export function acceptedFrame(m: ChatMessage) {
  return {
    clientMessageId: m.clientMessageId,
    messageId: m.messageId,
    conversationId: m.conversationId,
    seq: m.seq,
    sentAt: m.sentAt,
  };
}

/**
 * A visitor-conversation message as the site widget sees it: its own message or a staff reply.
 * Null for a deleted message (the widget has no frame for one; the catch-up's lastSeq covers it).
 */
export function siteFrame(
  m: ChatMessage,
): { type: 'chat.own_message' | 'chat.staff_reply'; payload: object } | null {
  if (m.body === null) return null;
  const base = {
    messageId: m.messageId,
    conversationId: m.conversationId,
    seq: m.seq,
    body: m.body,
    sentAt: m.sentAt,
  };
  return m.sender.kind === 'guest'
    ? { type: 'chat.own_message', payload: base }
    : {
        type: 'chat.staff_reply',
        payload: { ...base, staffName: m.sender.displayName.slice(0, 120) },
      };
}
