import type { RealtimeFanout } from '../../../shared/realtime/realtime.port.js';
import type { ChatDeps } from '../application/chat.deps.js';
import { signalTyping } from '../application/signal-typing.use-case.js';
import type { ChatActor } from '../domain/chat-actor.js';
import { membersTopic, topics } from './chat.topics.js';

/**
 * Broadcasts an ephemeral typing indicator (6 s TTL) to the conversation's other sockets, and to a
 * visitor's own socket when staff type in their conversation. Nothing is stored.
 */
export async function broadcastTyping(
  deps: ChatDeps,
  fanout: RealtimeFanout,
  actor: ChatActor,
  cmd: { conversationId?: string; isTyping: boolean },
  now: Date,
): Promise<void> {
  const t = await signalTyping(deps, actor, cmd, now);
  if (!t) return;
  const indicator = {
    conversationId: t.conversationId,
    userId: t.userId,
    displayName: t.displayName.slice(0, 120),
    isTyping: t.isTyping,
    expiresAt: t.expiresAt,
  };
  await fanout.broadcast(membersTopic(t, t.conversationId), 'chat.typing', indicator);
  if (t.conversationKind === 'visitor' && t.guestId && actor.kind === 'user') {
    await fanout.broadcast(topics.guest(t.guestId), 'chat.staff_typing', {
      isTyping: t.isTyping,
      expiresAt: t.expiresAt,
    });
  }
}
