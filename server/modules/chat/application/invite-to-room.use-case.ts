import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import type { UserActor } from '../domain/chat-actor.js';
import { canInvite } from '../domain/chat-policy.js';
import type { Invitation } from '../domain/chat.entity.js';
import { AlreadyMember, ChatNotAllowed, ChatUserNotFound } from '../domain/chat.errors.js';
import { CHAT_EVENTS, type InvitationCreatedPayload } from '../domain/chat.events.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation, memberRoleIn } from './conversation-access.js';
import { eventActor } from './send-message.use-case.js';

/** Owners and moderators invite an active user; one pending invitation per user and room (the unique index decides races). */
export async function inviteToRoom(
  deps: ChatDeps,
  actor: UserActor,
  cmd: { conversationId: string; userId: string },
  meta: { now: Date; requestId: string },
): Promise<Invitation> {
  const [invitee] = await deps.users.findUsers([cmd.userId]);
  return deps.uow.run(async (work) => {
    const access = await accessConversation(work, actor, cmd.conversationId);
    const role = memberRoleIn(access, ['room']);
    if (!canInvite(role)) throw new ChatNotAllowed('Only owners and moderators invite.');
    if (!invitee || invitee.status !== 'active') throw new ChatUserNotFound();
    if (await work.members.find(cmd.conversationId, cmd.userId)) throw new AlreadyMember();
    let invitation: Invitation;
    try {
      invitation = await work.invitations.insert({
        id: randomUUID(),
        conversationId: cmd.conversationId,
        inviterId: actor.userId,
        inviteeId: cmd.userId,
        at: meta.now,
      });
    } catch (err) {
      if (isUniqueViolation(err, 'chat_invitations_one_pending'))
        throw new AlreadyMember('The user already has a pending invitation to this room.');
      throw err;
    }
    const payload: InvitationCreatedPayload = { invitation };
    await work.appendEvent(
      domainEvent(CHAT_EVENTS.invitationCreated, payload, {
        at: meta.now,
        requestId: meta.requestId,
        actor: eventActor(actor),
      }),
    );
    return invitation;
  });
}
