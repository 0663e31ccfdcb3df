import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent } from '../../../shared/events/domain-event.js';
import type { ChatActor } from '../domain/chat-actor.js';
import { CHAT_EVENTS, type MembershipChangedPayload } from '../domain/chat.events.js';
import { eventActor } from './send-message.use-case.js';

/** Writes `chat.membership_changed` in the use-case's transaction. */
export async function membershipChanged(
  work: Pick<Work<unknown>, 'appendEvent'>,
  payload: MembershipChangedPayload,
  actor: ChatActor,
  meta: { now: Date; requestId: string },
): Promise<void> {
  await work.appendEvent(
    domainEvent(CHAT_EVENTS.membershipChanged, payload, {
      at: meta.now,
      requestId: meta.requestId,
      actor: eventActor(actor),
    }),
  );
}
