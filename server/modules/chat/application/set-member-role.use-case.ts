import type { UserActor } from '../domain/chat-actor.js';
import { canSetRole } from '../domain/chat-policy.js';
import type { Member } from '../domain/chat.entity.js';
import { ChatNotAllowed, ChatUserNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';
import { accessConversation, memberRoleIn } from './conversation-access.js';
import { withNames } from './list-members.use-case.js';
import { membershipChanged } from './membership-events.js';

/** Only the owner makes a member a moderator or a moderator a member. */
export async function setMemberRole(
  deps: ChatDeps,
  actor: UserActor,
  cmd: { conversationId: string; userId: string; role: 'moderator' | 'member' },
  meta: { now: Date; requestId: string },
): Promise<Member> {
  const record = await deps.uow.run(async (work) => {
    const access = await accessConversation(work, actor, cmd.conversationId, {
      forUpdate: true,
    });
    const role = memberRoleIn(access);
    if (role !== 'owner') throw new ChatNotAllowed('Only the owner changes roles.');
    const target = await work.members.find(cmd.conversationId, cmd.userId);
    if (!target) throw new ChatUserNotFound();
    if (!canSetRole(role, target.role))
      throw new ChatNotAllowed("The owner's own role does not change.");
    if (target.role === cmd.role) return target;
    const updated = await work.members.setRole(cmd.conversationId, cmd.userId, cmd.role);
    await membershipChanged(
      work,
      {
        conversationId: cmd.conversationId,
        userId: cmd.userId,
        change: 'role_changed',
        role: cmd.role,
      },
      actor,
      meta,
    );
    return updated;
  });
  return (await withNames(deps, [record]))[0]!;
}
