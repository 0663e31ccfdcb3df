import { randomUUID } from 'node:crypto';
import type { UserActor } from '../domain/chat-actor.js';
import type { Conversation } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';
import { membershipChanged } from './membership-events.js';

/** An invite-only room; the creator is its owner. */
export async function createRoom(
  deps: ChatDeps,
  actor: UserActor,
  cmd: { title: string },
  meta: { now: Date; requestId: string },
): Promise<Conversation> {
  return deps.uow.run(async (work) => {
    const room = await work.conversations.insert({
      id: randomUUID(),
      kind: 'room',
      title: cmd.title.trim() || cmd.title,
      createdBy: actor.userId,
      at: meta.now,
    });
    await work.members.insert(room.id, actor.userId, 'owner', meta.now);
    await membershipChanged(
      work,
      { conversationId: room.id, userId: actor.userId, change: 'joined', role: 'owner' },
      actor,
      meta,
    );
    return work.conversations.view(room, actor.userId, 'owner');
  });
}
