import { randomUUID } from 'node:crypto';
import type { UserActor } from '../domain/chat-actor.js';
import type { Conversation } from '../domain/chat.entity.js';
import { ChatUserNotFound } from '../domain/chat.errors.js';
import type { ChatDeps } from './chat.deps.js';
import { membershipChanged } from './membership-events.js';

/** A sub-lobby owned by an active staff member (its account manager). */
export async function createSubLobby(
  deps: ChatDeps,
  actor: UserActor,
  cmd: { managerId: string; title: string },
  meta: { now: Date; requestId: string },
): Promise<Conversation> {
  const [manager] = await deps.users.findUsers([cmd.managerId]);
  if (!manager || manager.status !== 'active' || manager.role === 'client')
    throw new ChatUserNotFound();
  return deps.uow.run(async (work) => {
    const lobby = await work.conversations.insert({
      id: randomUUID(),
      kind: 'sub_lobby',
      title: cmd.title.trim() || cmd.title,
      managerId: manager.id,
      createdBy: actor.userId,
      at: meta.now,
    });
    await work.members.insert(lobby.id, manager.id, 'owner', meta.now);
    await membershipChanged(
      work,
      { conversationId: lobby.id, userId: manager.id, change: 'joined', role: 'owner' },
      actor,
      meta,
    );
    return work.conversations.view(
      lobby,
      actor.userId,
      manager.id === actor.userId ? 'owner' : null,
    );
  });
}
