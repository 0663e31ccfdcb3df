import type { UserActor } from '../domain/chat-actor.js';
import { canLeave } from '../domain/chat-policy.js';
import { OwnerCannotLeave } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.ports.js';
import { accessConversation, memberRoleIn } from './conversation-access.js';
import { membershipChanged } from './membership-events.js';

/** Leaves a room or sub-lobby; the owner only when nobody else remains. Serialized on the conversation row. */
export async function leaveRoom(
  deps: ChatDeps,
  actor: UserActor,
  conversationId: string,
  meta: { now: Date; requestId: string },
): Promise<void> {
  await deps.db.tx(async (tx) => {
    const access = await accessConversation(deps.repo, tx, actor, conversationId, {
      forUpdate: true,
    });
    const role = memberRoleIn(access);
    const others = (await deps.repo.countMembers(tx, conversationId)) - 1;
    if (!canLeave(role, others)) throw new OwnerCannotLeave();
    await deps.repo.deleteMember(tx, conversationId, actor.userId);
    await membershipChanged(
      tx,
      { conversationId, userId: actor.userId, change: 'left' },
      actor,
      meta,
    );
  });
}
