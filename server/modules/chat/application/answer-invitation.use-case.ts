import type { UserActor } from '../domain/chat-actor.js';
import type { Conversation, Invitation } from '../domain/chat.entity.js';
import { InvitationNotFound, InvitationNotPending } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.ports.js';
import { membershipChanged } from './membership-events.js';

/** Accepts my pending invitation: I join as a member. Someone else's invitation is a 404. */
export async function acceptInvitation(
  deps: ChatDeps,
  actor: UserActor,
  invitationId: string,
  meta: { now: Date; requestId: string },
): Promise<Conversation> {
  return deps.db.tx(async (tx) => {
    const invitation = await pendingInvitationOf(deps, tx, actor, invitationId);
    await deps.repo.setInvitationStatus(tx, invitation.invitationId, 'accepted', meta.now);
    const joined = await deps.repo.insertMember(
      tx,
      invitation.conversationId,
      actor.userId,
      'member',
      meta.now,
    );
    if (joined)
      await membershipChanged(
        tx,
        {
          conversationId: invitation.conversationId,
          userId: actor.userId,
          change: 'joined',
          role: 'member',
        },
        actor,
        meta,
      );
    const room = (await deps.repo.findConversation(tx, invitation.conversationId))!;
    const member = await deps.repo.findMember(tx, room.id, actor.userId);
    return deps.repo.conversationView(tx, room, actor.userId, member?.role ?? 'member');
  });
}

/** Declines my pending invitation. */
export async function declineInvitation(
  deps: ChatDeps,
  actor: UserActor,
  invitationId: string,
  meta: { now: Date },
): Promise<Invitation> {
  return deps.db.tx(async (tx) => {
    const invitation = await pendingInvitationOf(deps, tx, actor, invitationId);
    return deps.repo.setInvitationStatus(tx, invitation.invitationId, 'declined', meta.now);
  });
}

async function pendingInvitationOf(
  deps: ChatDeps,
  tx: Parameters<ChatDeps['repo']['findInvitation']>[0],
  actor: UserActor,
  invitationId: string,
): Promise<Invitation> {
  const invitation = await deps.repo.findInvitation(tx, invitationId, { forUpdate: true });
  if (!invitation || invitation.inviteeId !== actor.userId) throw new InvitationNotFound();
  if (invitation.status !== 'pending') throw new InvitationNotPending();
  return invitation;
}
