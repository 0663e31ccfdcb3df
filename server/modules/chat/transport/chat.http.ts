import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { ChatMeta, ChatModule } from '../chat.module.js';
import { actorOfRequest } from './chat.actor.js';

export type ChatOperations =
  | 'clientListConversations'
  | 'clientListMessages'
  | 'clientSendMessage'
  | 'clientMarkRead'
  | 'clientListMembers'
  | 'clientCreateRoom'
  | 'clientInviteToRoom'
  | 'clientListInvitations'
  | 'clientAcceptInvitation'
  | 'clientDeclineInvitation'
  | 'clientLeaveRoom'
  | 'clientRemoveMember'
  | 'clientSetMemberRole'
  | 'clientEditMessage'
  | 'clientDeleteMessage'
  | 'adminListConversations'
  | 'adminListMessages'
  | 'adminSendMessage'
  | 'adminMarkRead'
  | 'adminListMembers'
  | 'adminCreateRoom'
  | 'adminInviteToRoom'
  | 'adminListInvitations'
  | 'adminAcceptInvitation'
  | 'adminDeclineInvitation'
  | 'adminLeaveRoom'
  | 'adminRemoveMember'
  | 'adminSetMemberRole'
  | 'adminEditMessage'
  | 'adminDeleteMessage'
  | 'listModeration'
  | 'listVisitorConversations'
  | 'createSubLobby'
  | 'addSubLobbyMember';

type H = Pick<Handlers<RequestContext>, ChatOperations>;

function meta(ctx: RequestContext): ChatMeta {
  return { now: ctx.now, requestId: ctx.requestId };
}

/** The chat operations of both surfaces, one use-case call each; the surface comes from the request context. */
export function chatHttp(chat: ChatModule): H {
  const listConversations: H['clientListConversations'] = async ({ ctx }) => ({
    status: 200,
    body: { items: await chat.listConversations(actorOfRequest(ctx)) },
  });
  const listMessages: H['clientListMessages'] = async ({ params, query, ctx }) => ({
    status: 200,
    body: await chat.listMessages(actorOfRequest(ctx), {
      conversationId: params.conversationId,
      ...query,
    }),
  });
  const sendMessage: H['clientSendMessage'] = async ({ params, body, ctx }) => {
    const { message, created } = await chat.send(
      actorOfRequest(ctx),
      {
        conversationId: params.conversationId,
        clientMessageId: body.clientMessageId,
        body: body.body,
      },
      meta(ctx),
    );
    return created ? { status: 201, body: message } : { status: 200, body: message };
  };
  const markRead: H['clientMarkRead'] = async ({ params, body, ctx }) => {
    await chat.markReceipt(
      actorOfRequest(ctx),
      { conversationId: params.conversationId, kind: 'read', upToSeq: body.upToSeq },
      meta(ctx),
    );
    return { status: 204 };
  };
  const listMembers: H['clientListMembers'] = async ({ params, ctx }) => ({
    status: 200,
    body: { items: await chat.listMembers(actorOfRequest(ctx), params.conversationId) },
  });
  const createRoom: H['clientCreateRoom'] = async ({ body, ctx }) => ({
    status: 201,
    body: await chat.createRoom(actorOfRequest(ctx), body, meta(ctx)),
  });
  const inviteToRoom: H['clientInviteToRoom'] = async ({ params, body, ctx }) => ({
    status: 201,
    body: await chat.inviteToRoom(
      actorOfRequest(ctx),
      { conversationId: params.conversationId, userId: body.userId },
      meta(ctx),
    ),
  });
  const listInvitations: H['clientListInvitations'] = async ({ ctx }) => ({
    status: 200,
    body: { items: await chat.listInvitations(actorOfRequest(ctx)) },
  });
  const acceptInvitation: H['clientAcceptInvitation'] = async ({ params, ctx }) => ({
    status: 200,
    body: await chat.acceptInvitation(actorOfRequest(ctx), params.invitationId, meta(ctx)),
  });
  const declineInvitation: H['clientDeclineInvitation'] = async ({ params, ctx }) => ({
    status: 200,
    body: await chat.declineInvitation(actorOfRequest(ctx), params.invitationId, meta(ctx)),
  });
  const leaveRoom: H['clientLeaveRoom'] = async ({ params, ctx }) => {
    await chat.leaveRoom(actorOfRequest(ctx), params.conversationId, meta(ctx));
    return { status: 204 };
  };
  const removeMember: H['clientRemoveMember'] = async ({ params, ctx }) => {
    await chat.removeMember(
      actorOfRequest(ctx),
      { conversationId: params.conversationId, userId: params.userId },
      meta(ctx),
    );
    return { status: 204 };
  };
  const setMemberRole: H['clientSetMemberRole'] = async ({ params, body, ctx }) => ({
    status: 200,
    body: await chat.setMemberRole(
      actorOfRequest(ctx),
      { conversationId: params.conversationId, userId: params.userId, role: body.role },
      meta(ctx),
    ),
  });
  const editMessage: H['clientEditMessage'] = async ({ params, body, ctx }) => ({
    status: 200,
    body: await chat.moderate(
      actorOfRequest(ctx),
      { action: 'edit', messageId: params.messageId, body: body.body, reason: body.reason },
      meta(ctx),
    ),
  });
  const deleteMessage: H['clientDeleteMessage'] = async ({ params, body, ctx }) => ({
    status: 200,
    body: await chat.moderate(
      actorOfRequest(ctx),
      { action: 'delete', messageId: params.messageId, reason: body.reason },
      meta(ctx),
    ),
  });

  return {
    clientListConversations: listConversations,
    clientListMessages: listMessages,
    clientSendMessage: sendMessage,
    clientMarkRead: markRead,
    clientListMembers: listMembers,
    clientCreateRoom: createRoom,
    clientInviteToRoom: inviteToRoom,
    clientListInvitations: listInvitations,
    clientAcceptInvitation: acceptInvitation,
    clientDeclineInvitation: declineInvitation,
    clientLeaveRoom: leaveRoom,
    clientRemoveMember: removeMember,
    clientSetMemberRole: setMemberRole,
    clientEditMessage: editMessage,
    clientDeleteMessage: deleteMessage,
    adminListConversations: listConversations,
    adminListMessages: listMessages,
    adminSendMessage: sendMessage,
    adminMarkRead: markRead,
    adminListMembers: listMembers,
    adminCreateRoom: createRoom,
    adminInviteToRoom: inviteToRoom,
    adminListInvitations: listInvitations,
    adminAcceptInvitation: acceptInvitation,
    adminDeclineInvitation: declineInvitation,
    adminLeaveRoom: leaveRoom,
    adminRemoveMember: removeMember,
    adminSetMemberRole: setMemberRole,
    adminEditMessage: editMessage,
    adminDeleteMessage: deleteMessage,
    listModeration: async ({ params }) => ({
      status: 200,
      body: { items: await chat.listModeration(params.messageId) },
    }),
    listVisitorConversations: async () => ({
      status: 200,
      body: { items: await chat.listVisitorConversations() },
    }),
    createSubLobby: async ({ body, ctx }) => ({
      status: 201,
      body: await chat.createSubLobby(actorOfRequest(ctx), body, meta(ctx)),
    }),
    addSubLobbyMember: async ({ params, body, ctx }) => ({
      status: 200,
      body: await chat.addSubLobbyMember(
        actorOfRequest(ctx),
        { conversationId: params.conversationId, userId: body.userId },
        meta(ctx),
      ),
    }),
  };
}
