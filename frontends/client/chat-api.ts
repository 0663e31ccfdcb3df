import { call, type HttpClient } from '../lib/http-client.js';
import type { ChatApi } from '../ui/chat/chat-api.js';

/** The client surface's chat operations (client*), behind the shared {@link ChatApi}. */
export function clientChatApi(http: HttpClient): ChatApi {
  const { api } = http;
  const conv = (conversationId: string) => ({ path: { conversationId } });
  return {
    surface: 'client',
    listConversations: async () => (await call(api.GET('/api/v1/client/chat/conversations'))).items,
    listMessages: (conversationId, query) =>
      call(
        api.GET('/api/v1/client/chat/conversations/{conversationId}/messages', {
          params: { ...conv(conversationId), query },
        }),
      ),
    send: (conversationId, body) =>
      call(
        api.POST('/api/v1/client/chat/conversations/{conversationId}/messages', {
          params: conv(conversationId),
          body,
        }),
      ),
    markRead: async (conversationId, upToSeq) => {
      await call(
        api.POST('/api/v1/client/chat/conversations/{conversationId}/read', {
          params: conv(conversationId),
          body: { upToSeq },
        }),
      );
    },
    listMembers: async (conversationId) =>
      (
        await call(
          api.GET('/api/v1/client/chat/conversations/{conversationId}/members', {
            params: conv(conversationId),
          }),
        )
      ).items,
    createRoom: (title) => call(api.POST('/api/v1/client/chat/rooms', { body: { title } })),
    invite: (conversationId, userId) =>
      call(
        api.POST('/api/v1/client/chat/rooms/{conversationId}/invitations', {
          params: conv(conversationId),
          body: { userId },
        }),
      ),
    listInvitations: async () => (await call(api.GET('/api/v1/client/chat/invitations'))).items,
    accept: (invitationId) =>
      call(
        api.POST('/api/v1/client/chat/invitations/{invitationId}/accept', {
          params: { path: { invitationId } },
        }),
      ),
    decline: (invitationId) =>
      call(
        api.POST('/api/v1/client/chat/invitations/{invitationId}/decline', {
          params: { path: { invitationId } },
        }),
      ),
    leave: async (conversationId) => {
      await call(
        api.POST('/api/v1/client/chat/rooms/{conversationId}/leave', {
          params: conv(conversationId),
        }),
      );
    },
    removeMember: async (conversationId, userId) => {
      await call(
        api.POST('/api/v1/client/chat/rooms/{conversationId}/members/{userId}/remove', {
          params: { path: { conversationId, userId } },
        }),
      );
    },
    setRole: (conversationId, userId, role) =>
      call(
        api.POST('/api/v1/client/chat/rooms/{conversationId}/members/{userId}/role', {
          params: { path: { conversationId, userId } },
          body: { role },
        }),
      ),
    editMessage: (messageId, body, reason) =>
      call(
        api.POST('/api/v1/client/chat/messages/{messageId}/edit', {
          params: { path: { messageId } },
          body: { body, reason },
        }),
      ),
    deleteMessage: (messageId, reason) =>
      call(
        api.POST('/api/v1/client/chat/messages/{messageId}/delete', {
          params: { path: { messageId } },
          body: { reason },
        }),
      ),
  };
}
