import { randomUUID } from 'node:crypto';
import { GUEST_IDLE_MS, visitorTitle, type GuestSession } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.ports.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The site guest behind a connection: `?guest=<id>` resumes a guest active within the last hour
 * (and its visitor conversation); anything else starts a new guest with an empty conversation.
 */
export async function resolveGuest(deps: ChatDeps, requested: string | null, now: Date): Promise<GuestSession> {
  return deps.db.tx(async (tx) => {
    if (requested && UUID.test(requested)) {
      const guest = await deps.repo.findGuest(tx, requested.toLowerCase());
      if (guest && now.getTime() - guest.lastActiveAt.getTime() < GUEST_IDLE_MS) {
        const conversation = await deps.repo.findVisitorConversation(tx, guest.id);
        if (conversation) {
          await deps.repo.touchGuest(tx, guest.id, now);
          return { guestId: guest.id, conversationId: conversation.id, lastActiveAt: now, lastSeq: conversation.lastSeq };
        }
      }
    }
    const guestId = randomUUID();
    await deps.repo.insertGuest(tx, guestId, now);
    const conversation = await deps.repo.insertConversation(tx, { id: randomUUID(), kind: 'visitor', title: visitorTitle(guestId), guestId, at: now });
    return { guestId, conversationId: conversation.id, lastActiveAt: now, lastSeq: 0 };
  });
}
