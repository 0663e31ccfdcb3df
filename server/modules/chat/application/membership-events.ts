import type { Tx } from '../../../shared/db/db.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import { appendToOutbox } from '../../../shared/events/outbox.js';
import type { ChatActor } from '../domain/chat-actor.js';
import { CHAT_EVENTS, type MembershipChangedPayload } from '../domain/chat.events.js';
import { eventActor } from './send-message.use-case.js';

/** Writes `chat.membership_changed` in the caller's transaction. */
export async function membershipChanged(
  tx: Tx,
  payload: MembershipChangedPayload,
  actor: ChatActor,
  meta: { now: Date; requestId: string },
): Promise<void> {
  await appendToOutbox(
    tx,
    domainEvent(CHAT_EVENTS.membershipChanged, payload, {
      at: meta.now,
      requestId: meta.requestId,
      actor: eventActor(actor),
    }),
  );
}
