import { call, type HttpClient } from '../lib/http-client.js';
import type { ChatApi } from '../ui/chat/chat-api.js';

type Api = HttpClient['api'];
const conv = (conversationId: string) => ({ path: { conversationId } });

/** Conversations: list, messages, send, read, members. */
function conversationsApi(
  api: Api,
): Pick<ChatApi, 'listConversations' | 'listMessages' | 'send' | 'markRead' | 'listMembers'> {
  return {
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
  };
}

/** Rooms: create, invite, leave, members and roles. */
function roomsApi(
  api: Api,
): Pick<ChatApi, 'createRoom' | 'invite' | 'leave' | 'removeMember' | 'setRole'> {
  return {
    createRoom: (title) => call(api.POST('/api/v1/admin/chat/rooms', { body: { title } })),
    invite: (conversationId, userId) =>
      call(
        api.POST('/api/v1/admin/chat/rooms/{conversationId}/invitations', {
          params: conv(conversationId),
          body: { userId },
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
  };
}

/** Invitations: list, accept, decline. */
function invitationsApi(api: Api): Pick<ChatApi, 'listInvitations' | 'accept' | 'decline'> {
  return {
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
  };
}

/** Message moderation. */
function messagesApi(api: Api): Pick<ChatApi, 'editMessage' | 'deleteMessage' | 'moderationTrail'> {
  return {
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

/** The admin surface's chat operations (admin*), behind the shared {@link ChatApi}. */
export function adminChatApi(http: HttpClient): ChatApi {
  const { api } = http;
  return {
    surface: 'admin',
    ...conversationsApi(api),
    ...roomsApi(api),
    ...invitationsApi(api),
    ...messagesApi(api),
  };
}
