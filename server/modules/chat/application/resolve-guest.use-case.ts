import { createHash, randomUUID } from 'node:crypto';
import {
  GUEST_IDLE_MS,
  visitorTitle,
  type ConversationRecord,
  type GuestSession,
} from '../domain/chat.entity.js';
import type { ChatDeps, ChatRepos } from './chat.deps.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The name space of visitor conversation ids (RFC 9562 name-based ids). */
const VISITOR_CONVERSATIONS = Buffer.from('7c1e4b2a9d5f4e3b8a6c0d1f2e3a4b5c', 'hex');

/**
 * The id a guest's visitor conversation has, or will have once the guest writes: an RFC 9562
 * name-based (v5) UUID of the guest id, so the welcome can name it before anything is stored.
 * node:crypto makes random UUIDs only, and six lines do not need a package.
 */
export function visitorConversationId(guestId: string): string {
  const handle = createHash('sha1')
    .update(VISITOR_CONVERSATIONS)
    .update(guestId.toLowerCase())
    .digest();
  handle[6] = (handle[6]! & 0x0f) | 0x50;
  handle[8] = (handle[8]! & 0x3f) | 0x80;
  const text = handle.subarray(0, 16).toString('hex');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/**
 * The site guest behind a connection: `?guest=<id>` resumes a stored guest active within the last
 * hour (and its visitor conversation); anything else is a new guest that lives only in its socket
 * until it writes (`storeGuest`, from the first message), so opening a socket writes nothing.
 */
export async function resolveGuest(
  deps: ChatDeps,
  requested: string | null,
  now: Date,
): Promise<GuestSession> {
  if (requested && UUID.test(requested)) {
    const resumed = await deps.uow.run(async (work) => {
      const guest = await work.guests.find(requested.toLowerCase());
      if (!guest || now.getTime() - guest.lastActiveAt.getTime() >= GUEST_IDLE_MS) return null;
      const conversation = await work.conversations.findVisitor(guest.id);
      if (!conversation) return null;
      await work.guests.touch(guest.id, now);
      return {
        guestId: guest.id,
        conversationId: conversation.id,
        lastActiveAt: now,
        lastSeq: conversation.lastSeq,
      };
    });
    if (resumed) return resumed;
  }
  const guestId = randomUUID();
  return { guestId, conversationId: visitorConversationId(guestId), lastActiveAt: now, lastSeq: 0 };
}

/** Stores a guest and its empty visitor conversation on its first message (in that message's transaction). */
export async function storeGuest(
  work: Pick<ChatRepos, 'guests' | 'conversations'>,
  guestId: string,
  now: Date,
): Promise<ConversationRecord> {
  await work.guests.insert(guestId, now);
  await work.conversations.insertVisitor({
    id: visitorConversationId(guestId),
    title: visitorTitle(guestId),
    guestId,
    at: now,
  });
  const conversation = await work.conversations.findVisitor(guestId);
  if (!conversation) throw new Error('the visitor conversation was not stored');
  return conversation;
}
