import type { UserActor } from '../domain/chat-actor.js';
import type { Member } from '../domain/chat.entity.js';
import { AlreadyMember, ChatUserNotFound, ConversationNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';
import { withNames } from './list-members.use-case.js';
import { membershipChanged } from './membership-events.js';

/** Adds an active client to a sub-lobby as a member. */
export async function addSubLobbyMember(
  deps: ChatDeps,
  actor: UserActor,
  cmd: { conversationId: string; userId: string },
  meta: { now: Date; requestId: string },
): Promise<Member> {
  const [client] = await deps.users.findUsers([cmd.userId]);
  const record = await deps.uow.run(async (work) => {
    const lobby = await work.conversations.find(cmd.conversationId);
    if (!lobby || lobby.kind !== 'sub_lobby') throw new ConversationNotFound();
    if (!client || client.status !== 'active' || client.role !== 'client')
      throw new ChatUserNotFound();
    if (!(await work.members.insert(lobby.id, client.id, 'member', meta.now)))
      throw new AlreadyMember();
    await membershipChanged(
      work,
      { conversationId: lobby.id, userId: client.id, change: 'joined', role: 'member' },
      actor,
      meta,
    );
    return (await work.members.find(lobby.id, client.id))!;
  });
  return (await withNames(deps, [record]))[0]!;
}
