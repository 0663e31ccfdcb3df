import type { components } from '../../../generated/v1/types.js';
import type {
  ClientOutboundPayloads,
  ClientInboundPayloads,
  OutboundFrame,
} from '../../../generated/v1/ws-types.js';
import type { ConnectionState, SeqGap } from '../../lib/ws-client.js';

type S = components['schemas'];

/**
 * What the chat screens need from a surface, so one implementation serves the client and admin
 * apps: each surface maps these to its own typed operations (client* / admin*).
 */
export interface ChatApi {
  readonly surface: 'client' | 'admin';
  listConversations(): Promise<S['Conversation'][]>;
  listMessages(
    conversationId: string,
    query: { beforeSeq?: number; afterSeq?: number; limit?: number },
  ): Promise<S['MessagePage']>;
  send(conversationId: string, body: S['SendMessageRequest']): Promise<S['ChatMessage']>;
  markRead(conversationId: string, upToSeq: number): Promise<void>;
  listMembers(conversationId: string): Promise<S['Member'][]>;
  createRoom(title: string): Promise<S['Conversation']>;
  invite(conversationId: string, userId: string): Promise<S['Invitation']>;
  listInvitations(): Promise<S['Invitation'][]>;
  accept(invitationId: string): Promise<S['Conversation']>;
  decline(invitationId: string): Promise<S['Invitation']>;
  leave(conversationId: string): Promise<void>;
  removeMember(conversationId: string, userId: string): Promise<void>;
  setRole(
    conversationId: string,
    userId: string,
    role: S['SetMemberRoleRequest']['role'],
  ): Promise<S['Member']>;
  editMessage(messageId: string, body: string, reason: string): Promise<S['ChatMessage']>;
  deleteMessage(messageId: string, reason: string): Promise<S['ChatMessage']>;
  /** Admin only: a message's edit/delete history. */
  moderationTrail?(messageId: string): Promise<S['ModerationEntry'][]>;
}

/** The chat frames both authenticated channels share (their payloads are the same schemas). */
export type ChatOutbound = Pick<
  ClientOutboundPayloads,
  | 'session.welcome'
  | 'chat.message_accepted'
  | 'chat.message'
  | 'chat.message_updated'
  | 'chat.typing'
  | 'chat.presence'
  | 'chat.receipt'
  | 'chat.invitation'
  | 'chat.membership'
  | 'chat.caught_up'
  | 'system.error'
>;
export type ChatInbound = ClientInboundPayloads;

/** The slice of a client- or admin-channel WsClient the chat screens use. */
export interface ChatSocket {
  readonly state: ConnectionState;
  send<K extends keyof ChatInbound & string>(type: K, payload: ChatInbound[K]): string;
  on<K extends keyof ChatOutbound & string>(
    type: K,
    handler: (frame: OutboundFrame<K, ChatOutbound[K]>) => void,
  ): () => void;
  onState(
    listener: (state: ConnectionState, info: { attempt: number; retryInMs?: number }) => void,
  ): () => void;
  onGap(listener: (gap: SeqGap) => void): () => void;
  setSeq(conversationId: string, seq: number): void;
  seqs(): Record<string, number>;
}
