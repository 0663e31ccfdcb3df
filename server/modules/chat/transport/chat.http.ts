import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import { addSubLobbyMember } from '../application/add-sub-lobby-member.use-case.js';
import { acceptInvitation, declineInvitation } from '../application/answer-invitation.use-case.js';
import type { ChatDeps, ChatMeta } from '../application/chat.deps.js';
import { createRoom } from '../application/create-room.use-case.js';
import { createSubLobby } from '../application/create-sub-lobby.use-case.js';
import { inviteToRoom } from '../application/invite-to-room.use-case.js';
import { leaveRoom } from '../application/leave-room.use-case.js';
import { listConversations } from '../application/list-conversations.use-case.js';
import { listInvitations } from '../application/list-invitations.use-case.js';
import { listMembers } from '../application/list-members.use-case.js';
import { listMessages } from '../application/list-messages.use-case.js';
import { listModeration } from '../application/list-moderation.use-case.js';
import { listVisitorConversations } from '../application/list-visitor-conversations.use-case.js';
import { markReceipt } from '../application/mark-receipt.use-case.js';
import { moderateMessage } from '../application/moderate-message.use-case.js';
import { removeMember } from '../application/remove-member.use-case.js';
import { sendMessage } from '../application/send-message.use-case.js';
import { setMemberRole } from '../application/set-member-role.use-case.js';
import { actorOfRequest as actor } from './chat.actor.js';

/** The operations both surfaces have: `client<Name>` and `admin<Name>` share one handler. */
type Shared =
  | 'ListConversations'
  | 'ListMessages'
  | 'SendMessage'
  | 'MarkRead'
  | 'ListMembers'
  | 'CreateRoom'
  | 'InviteToRoom'
  | 'ListInvitations'
  | 'AcceptInvitation'
  | 'DeclineInvitation'
  | 'LeaveRoom'
  | 'RemoveMember'
  | 'SetMemberRole'
  | 'EditMessage'
  | 'DeleteMessage';
type SharedHandlers = { [K in Shared]: Handlers<RequestContext>[`client${K}`] };

export type ChatOperations = Pick<
  Handlers<RequestContext>,
  | `client${Shared}`
  | `admin${Shared}`
  | 'listModeration'
  | 'listVisitorConversations'
  | 'createSubLobby'
  | 'addSubLobbyMember'
>;

function meta(ctx: RequestContext): ChatMeta {
  return { now: ctx.now, requestId: ctx.requestId };
}

/** Reading, sending, marking and moderating messages. */
function messageHandlers(
  deps: ChatDeps,
): Pick<
  SharedHandlers,
  | 'ListConversations'
  | 'ListMessages'
  | 'SendMessage'
  | 'MarkRead'
  | 'EditMessage'
  | 'DeleteMessage'
> {
  return {
    ListConversations: async ({ ctx }) => ({
      status: 200,
      body: { items: await listConversations(deps, actor(ctx)) },
    }),
    ListMessages: async ({ params, query, ctx }) => ({
      status: 200,
      body: await listMessages(deps, actor(ctx), {
        conversationId: params.conversationId,
        ...query,
      }),
    }),
    SendMessage: async ({ params, body, ctx }) => {
      const cmd = {
        conversationId: params.conversationId,
        clientMessageId: body.clientMessageId,
        body: body.body,
      };
      const { message, created } = await sendMessage(deps, actor(ctx), cmd, meta(ctx));
      return created ? { status: 201, body: message } : { status: 200, body: message };
    },
    MarkRead: async ({ params, body, ctx }) => {
      const cmd = { conversationId: params.conversationId, upToSeq: body.upToSeq };
      await markReceipt(deps, actor(ctx), { ...cmd, kind: 'read' }, meta(ctx));
      return { status: 204 };
    },
    EditMessage: async ({ params, body, ctx }) => ({
      status: 200,
      body: await moderateMessage(
        deps,
        actor(ctx),
        { action: 'edit', messageId: params.messageId, body: body.body, reason: body.reason },
        meta(ctx),
      ),
    }),
    DeleteMessage: async ({ params, body, ctx }) => ({
      status: 200,
      body: await moderateMessage(
        deps,
        actor(ctx),
        { action: 'delete', messageId: params.messageId, reason: body.reason },
        meta(ctx),
      ),
    }),
  };
}

/** Rooms and their members and invitations. */
function roomHandlers(
  deps: ChatDeps,
): Omit<SharedHandlers, keyof ReturnType<typeof messageHandlers>> {
  return {
    ListMembers: async ({ params, ctx }) => ({
      status: 200,
      body: { items: await listMembers(deps, actor(ctx), params.conversationId) },
    }),
    CreateRoom: async ({ body, ctx }) => ({
      status: 201,
      body: await createRoom(deps, actor(ctx), body, meta(ctx)),
    }),
    InviteToRoom: async ({ params, body, ctx }) => ({
      status: 201,
      body: await inviteToRoom(
        deps,
        actor(ctx),
        { conversationId: params.conversationId, userId: body.userId },
        meta(ctx),
      ),
    }),
    ListInvitations: async ({ ctx }) => ({
      status: 200,
      body: { items: await listInvitations(deps, actor(ctx)) },
    }),
    AcceptInvitation: async ({ params, ctx }) => ({
      status: 200,
      body: await acceptInvitation(deps, actor(ctx), params.invitationId, meta(ctx)),
    }),
    DeclineInvitation: async ({ params, ctx }) => ({
      status: 200,
      body: await declineInvitation(deps, actor(ctx), params.invitationId, meta(ctx)),
    }),
    LeaveRoom: async ({ params, ctx }) => {
      await leaveRoom(deps, actor(ctx), params.conversationId, meta(ctx));
      return { status: 204 };
    },
    RemoveMember: async ({ params, ctx }) => {
      await removeMember(
        deps,
        actor(ctx),
        { conversationId: params.conversationId, userId: params.userId },
        meta(ctx),
      );
      return { status: 204 };
    },
    SetMemberRole: async ({ params, body, ctx }) => ({
      status: 200,
      body: await setMemberRole(
        deps,
        actor(ctx),
        { conversationId: params.conversationId, userId: params.userId, role: body.role },
        meta(ctx),
      ),
    }),
  };
}

/** Staff-only operations of the admin surface. */
function staffHandlers(
  deps: ChatDeps,
): Pick<
  ChatOperations,
  'listModeration' | 'listVisitorConversations' | 'createSubLobby' | 'addSubLobbyMember'
> {
  return {
    listModeration: async ({ params }) => ({
      status: 200,
      body: { items: await listModeration(deps, params.messageId) },
    }),
    listVisitorConversations: async () => ({
      status: 200,
      body: { items: await listVisitorConversations(deps) },
    }),
    createSubLobby: async ({ body, ctx }) => ({
      status: 201,
      body: await createSubLobby(deps, actor(ctx), body, meta(ctx)),
    }),
    addSubLobbyMember: async ({ params, body, ctx }) => ({
      status: 200,
      body: await addSubLobbyMember(
        deps,
        actor(ctx),
        { conversationId: params.conversationId, userId: body.userId },
        meta(ctx),
      ),
    }),
  };
}

/** The chat operations of both surfaces, one use-case call each; the surface comes from the request context. */
export function chatHttp(deps: ChatDeps): ChatOperations {
  const sharedHandlers: SharedHandlers = { ...messageHandlers(deps), ...roomHandlers(deps) };
  return {
    clientListConversations: sharedHandlers.ListConversations,
    clientListMessages: sharedHandlers.ListMessages,
    clientSendMessage: sharedHandlers.SendMessage,
    clientMarkRead: sharedHandlers.MarkRead,
    clientListMembers: sharedHandlers.ListMembers,
    clientCreateRoom: sharedHandlers.CreateRoom,
    clientInviteToRoom: sharedHandlers.InviteToRoom,
    clientListInvitations: sharedHandlers.ListInvitations,
    clientAcceptInvitation: sharedHandlers.AcceptInvitation,
    clientDeclineInvitation: sharedHandlers.DeclineInvitation,
    clientLeaveRoom: sharedHandlers.LeaveRoom,
    clientRemoveMember: sharedHandlers.RemoveMember,
    clientSetMemberRole: sharedHandlers.SetMemberRole,
    clientEditMessage: sharedHandlers.EditMessage,
    clientDeleteMessage: sharedHandlers.DeleteMessage,
    adminListConversations: sharedHandlers.ListConversations,
    adminListMessages: sharedHandlers.ListMessages,
    adminSendMessage: sharedHandlers.SendMessage,
    adminMarkRead: sharedHandlers.MarkRead,
    adminListMembers: sharedHandlers.ListMembers,
    adminCreateRoom: sharedHandlers.CreateRoom,
    adminInviteToRoom: sharedHandlers.InviteToRoom,
    adminListInvitations: sharedHandlers.ListInvitations,
    adminAcceptInvitation: sharedHandlers.AcceptInvitation,
    adminDeclineInvitation: sharedHandlers.DeclineInvitation,
    adminLeaveRoom: sharedHandlers.LeaveRoom,
    adminRemoveMember: sharedHandlers.RemoveMember,
    adminSetMemberRole: sharedHandlers.SetMemberRole,
    adminEditMessage: sharedHandlers.EditMessage,
    adminDeleteMessage: sharedHandlers.DeleteMessage,
    ...staffHandlers(deps),
  };
}
