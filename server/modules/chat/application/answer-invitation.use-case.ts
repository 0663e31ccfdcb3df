import type { UserActor } from '../domain/chat-actor.js';
import type { Conversation, Invitation } from '../domain/chat.entity.js';
import { InvitationNotFound, InvitationNotPending } from '../domain/chat.errors.js';
import type { ChatDeps, ChatRepos } from './chat.deps.js';
import { membershipChanged } from './membership-events.js';

/** Accepts my pending invitation: I join as a member. Someone else's invitation is a 404. */
export async function acceptInvitation(
  deps: ChatDeps,
  actor: UserActor,
  invitationId: string,
  meta: { now: Date; requestId: string },
): Promise<Conversation> {
  return deps.uow.run(async (work) => {
    const invitation = await pendingInvitationOf(work, actor, invitationId);
    await work.invitations.setStatus(invitation.invitationId, 'accepted', meta.now);
    const joined = await work.members.insert(
      invitation.conversationId,
      actor.userId,
      'member',
      meta.now,
    );
    if (joined)
      await membershipChanged(
        work,
        {
          conversationId: invitation.conversationId,
          userId: actor.userId,
          change: 'joined',
          role: 'member',
        },
        actor,
        meta,
      );
    const room = (await work.conversations.find(invitation.conversationId))!;
    const member = await work.members.find(room.id, actor.userId);
    return work.conversations.view(room, actor.userId, member?.role ?? 'member');
  });
}

/** Declines my pending invitation. */
export async function declineInvitation(
  deps: ChatDeps,
  actor: UserActor,
  invitationId: string,
  meta: { now: Date },
): Promise<Invitation> {
  return deps.uow.run(async (work) => {
    const invitation = await pendingInvitationOf(work, actor, invitationId);
    return work.invitations.setStatus(invitation.invitationId, 'declined', meta.now);
  });
}

async function pendingInvitationOf(
  work: Pick<ChatRepos, 'invitations'>,
  actor: UserActor,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await work.invitations.find(invitationId, { forUpdate: true });
  if (!invitation || invitation.inviteeId !== actor.userId) throw new InvitationNotFound();
  if (invitation.status !== 'pending') throw new InvitationNotPending();
  return invitation;
}
