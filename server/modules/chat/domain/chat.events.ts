import type {
  ChatMessage,
  ConversationKind,
  Invitation,
  MemberRole,
  VisitorConversation,
} from './chat.entity.js';

/**
 * Chat's outbox events. Written in the transaction of the state change; the fan-out handlers turn
 * them into WebSocket frames on every instance. Message bodies travel in the outbox payload (the
 * database), never in a log line.
 */
export const CHAT_EVENTS = {
  messagePosted: 'chat.message_posted',
  messageUpdated: 'chat.message_updated',
  membershipChanged: 'chat.membership_changed',
  invitationCreated: 'chat.invitation_created',
  receipt: 'chat.receipt',
} as const;

/** Where a conversation's frames go: visitor conversations reach the staff and the guest. */
export type ConversationRoute = {
  conversationKind: ConversationKind;
  guestId: string | null;
};

export type MessagePostedPayload = ConversationRoute & {
  message: ChatMessage;
  /** The inbox row after this message (visitor conversations only). */
  visitor: VisitorConversation | null;
};

export type MessageUpdatedPayload = ConversationRoute & {
  message: ChatMessage;
  action: 'edit' | 'delete';
};

export type MembershipChangedPayload = {
  conversationId: string;
  userId: string;
  change: 'joined' | 'left' | 'removed' | 'role_changed';
  role?: MemberRole;
};

export type InvitationCreatedPayload = {
  invitation: Invitation;
};

export type ReceiptPayload = ConversationRoute & {
  conversationId: string;
  userId: string;
  kind: 'delivered' | 'read';
  upToSeq: number;
};
