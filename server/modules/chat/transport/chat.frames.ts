import type { ChatMessage } from '../domain/chat.entity.js';

/** `chat.message_accepted`: the server's ids, seq and time for the sender's clientMessageId. */
export function acceptedFrame(chatMessage: ChatMessage) {
  return {
    clientMessageId: chatMessage.clientMessageId,
    messageId: chatMessage.messageId,
    conversationId: chatMessage.conversationId,
    seq: chatMessage.seq,
    sentAt: chatMessage.sentAt,
  };
}

/**
 * A visitor-conversation message as the site widget sees it: its own message or a staff reply.
 * Null for a deleted message (the widget has no frame for one; the catch-up's lastSeq covers it).
 */
export function siteFrame(
  chatMessage: ChatMessage,
): { type: 'chat.own_message' | 'chat.staff_reply'; payload: object } | null {
  if (chatMessage.body === null) return null;
  const base = {
    messageId: chatMessage.messageId,
    conversationId: chatMessage.conversationId,
    seq: chatMessage.seq,
    body: chatMessage.body,
    sentAt: chatMessage.sentAt,
  };
  return chatMessage.sender.kind === 'guest'
    ? { type: 'chat.own_message', payload: base }
    : {
        type: 'chat.staff_reply',
        payload: { ...base, staffName: chatMessage.sender.displayName.slice(0, 120) },
      };
}
