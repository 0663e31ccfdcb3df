import { call, type HttpClient } from '../lib/http-client.js';
import type { ChatApi } from '../ui/chat/chat-api.js';

type Api = HttpClient['api'];
const conv = (conversationId: string) => ({ path: { conversationId } });

/** Conversations: list, messages, send, read, members. */
function conversationsApi(
  api: Api,
): Pick<ChatApi, 'listConversations' | 'listMessages' | 'send' | 'markRead' | 'listMembers'> {
  return {
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
  };
}

/** Rooms: create, invite, leave, members and roles. */
function roomsApi(
  api: Api,
): Pick<ChatApi, 'createRoom' | 'invite' | 'leave' | 'removeMember' | 'setRole'> {
  return {
    createRoom: (title) => call(api.POST('/api/v1/client/chat/rooms', { body: { title } })),
    invite: (conversationId, userId) =>
      call(
        api.POST('/api/v1/client/chat/rooms/{conversationId}/invitations', {
          params: conv(conversationId),
          body: { userId },
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
  };
}

/** Invitations: list, accept, decline. */
function invitationsApi(api: Api): Pick<ChatApi, 'listInvitations' | 'accept' | 'decline'> {
  return {
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
  };
}

/** Message moderation. */
function messagesApi(api: Api): Pick<ChatApi, 'editMessage' | 'deleteMessage'> {
  return {
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

/** The client surface's chat operations (client*), behind the shared {@link ChatApi}. */
export function clientChatApi(http: HttpClient): ChatApi {
  const { api } = http;
  return {
    surface: 'client',
    ...conversationsApi(api),
    ...roomsApi(api),
    ...invitationsApi(api),
    ...messagesApi(api),
  };
}
