import { call, type HttpClient } from '../lib/http-client.js';
import type { ChatApi } from '../ui/chat/chat-api.js';

/** The admin surface's chat operations (admin*), behind the shared {@link ChatApi}. */
export function adminChatApi(http: HttpClient): ChatApi {
  const { api } = http;
  const conv = (conversationId: string) => ({ path: { conversationId } });
  return {
    surface: 'admin',
    listConversations: async () => (await call(api.GET('/api/v1/admin/chat/conversations'))).items,
    listMessages: (conversationId, query) =>
      call(
        api.GET('/api/v1/admin/chat/conversations/{conversationId}/messages', {
          params: { ...conv(conversationId), query },
        }),
      ),
    send: (conversationId, body) =>
      call(
        api.POST('/api/v1/admin/chat/conversations/{conversationId}/messages', {
          params: conv(conversationId),
          body,
        }),
      ),
    markRead: async (conversationId, upToSeq) => {
      await call(
        api.POST('/api/v1/admin/chat/conversations/{conversationId}/read', {
          params: conv(conversationId),
          body: { upToSeq },
        }),
      );
    },
    listMembers: async (conversationId) =>
      (
        await call(
          api.GET('/api/v1/admin/chat/conversations/{conversationId}/members', {
            params: conv(conversationId),
          }),
        )
      ).items,
    createRoom: (title) => call(api.POST('/api/v1/admin/chat/rooms', { body: { title } })),
    invite: (conversationId, userId) =>
      call(
        api.POST('/api/v1/admin/chat/rooms/{conversationId}/invitations', {
          params: conv(conversationId),
          body: { userId },
        }),
      ),
    listInvitations: async () => (await call(api.GET('/api/v1/admin/chat/invitations'))).items,
    accept: (invitationId) =>
      call(
        api.POST('/api/v1/admin/chat/invitations/{invitationId}/accept', {
          params: { path: { invitationId } },
        }),
      ),
    decline: (invitationId) =>
      call(
        api.POST('/api/v1/admin/chat/invitations/{invitationId}/decline', {
          params: { path: { invitationId } },
        }),
      ),
    leave: async (conversationId) => {
      await call(
        api.POST('/api/v1/admin/chat/rooms/{conversationId}/leave', {
          params: conv(conversationId),
        }),
      );
    },
    removeMember: async (conversationId, userId) => {
      await call(
        api.POST('/api/v1/admin/chat/rooms/{conversationId}/members/{userId}/remove', {
          params: { path: { conversationId, userId } },
        }),
      );
    },
    setRole: (conversationId, userId, role) =>
      call(
        api.POST('/api/v1/admin/chat/rooms/{conversationId}/members/{userId}/role', {
          params: { path: { conversationId, userId } },
          body: { role },
        }),
      ),
    editMessage: (messageId, body, reason) =>
      call(
        api.POST('/api/v1/admin/chat/messages/{messageId}/edit', {
          params: { path: { messageId } },
          body: { body, reason },
        }),
      ),
    deleteMessage: (messageId, reason) =>
      call(
        api.POST('/api/v1/admin/chat/messages/{messageId}/delete', {
          params: { path: { messageId } },
          body: { reason },
        }),
      ),
    moderationTrail: async (messageId) =>
      (
        await call(
          api.GET('/api/v1/admin/chat/messages/{messageId}/moderation', {
            params: { path: { messageId } },
          }),
        )
      ).items,
  };
}
