import type { UserActor } from '../domain/chat-actor.js';
import { canRemove } from '../domain/chat-policy.js';
import { ChatNotAllowed, ChatUserNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation, memberRoleIn } from './conversation-access.js';
import { membershipChanged } from './membership-events.js';

/** The owner removes anyone; moderators remove members. Leaving oneself is `leaveRoom`. */
export async function removeMember(
  deps: ChatDeps,
  actor: UserActor,
  cmd: { conversationId: string; userId: string },
  meta: { now: Date; requestId: string },
): Promise<void> {
  await deps.uow.run(async (work) => {
    const access = await accessConversation(work, actor, cmd.conversationId, {
      forUpdate: true,
    });
    const role = memberRoleIn(access);
    if (cmd.userId === actor.userId)
      throw new ChatNotAllowed('Leave the room instead of removing yourself.');
    const target = await work.members.find(cmd.conversationId, cmd.userId);
    if (!target) throw new ChatUserNotFound();
    if (!canRemove(role, target.role))
      throw new ChatNotAllowed('The owner removes anyone; moderators remove members.');
    await work.members.remove(cmd.conversationId, cmd.userId);
    await membershipChanged(
      work,
      { conversationId: cmd.conversationId, userId: cmd.userId, change: 'removed' },
      actor,
      meta,
    );
  });
}
