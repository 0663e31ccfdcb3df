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
  const typingNotice = await signalTyping(deps, actor, cmd, now);
  if (!typingNotice) return;
  const indicator = {
    conversationId: typingNotice.conversationId,
    userId: typingNotice.userId,
    displayName: typingNotice.displayName.slice(0, 120),
    isTyping: typingNotice.isTyping,
    expiresAt: typingNotice.expiresAt,
  };
  await fanout.broadcast(
    membersTopic(typingNotice, typingNotice.conversationId),
    'chat.typing',
    indicator,
  );
  if (
    typingNotice.conversationKind === 'visitor' &&
    typingNotice.guestId &&
    actor.kind === 'user'
  ) {
    await fanout.broadcast(topics.guest(typingNotice.guestId), 'chat.staff_typing', {
      isTyping: typingNotice.isTyping,
      expiresAt: typingNotice.expiresAt,
    });
  }
}
