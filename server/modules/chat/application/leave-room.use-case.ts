import type { UserActor } from '../domain/chat-actor.js';
import { canLeave } from '../domain/chat-policy.js';
import { OwnerCannotLeave } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation, memberRoleIn } from './conversation-access.js';
import { membershipChanged } from './membership-events.js';

/** Leaves a room or sub-lobby; the owner only when nobody else remains. Serialized on the conversation row. */
export async function leaveRoom(
  deps: ChatDeps,
  actor: UserActor,
  conversationId: string,
  meta: { now: Date; requestId: string },
): Promise<void> {
  await deps.uow.run(async (work) => {
    const access = await accessConversation(work, actor, conversationId, {
      forUpdate: true,
    });
    const role = memberRoleIn(access);
    const others = (await work.members.count(conversationId)) - 1;
    if (!canLeave(role, others)) throw new OwnerCannotLeave();
    await work.members.remove(conversationId, actor.userId);
    await membershipChanged(
      work,
      { conversationId, userId: actor.userId, change: 'left' },
      actor,
      meta,
    );
  });
}
