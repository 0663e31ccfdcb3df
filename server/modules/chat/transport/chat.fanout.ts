import type { Logger } from '../../../shared/logging/logger.js';
import type { RealtimeFanout } from '../../../shared/realtime/realtime.port.js';
import { CHAT_EVENTS, type InvitationCreatedPayload, type MembershipChangedPayload, type MessagePostedPayload, type MessageUpdatedPayload, type ReceiptPayload } from '../domain/chat.events.js';
import { siteFrame } from './chat.frames.js';
import type { SocketRegistry } from './chat.registry.js';
import { membersTopic, topics } from './chat.topics.js';

/**
 * Turns chat's committed outbox events into frames. The handlers run on every instance, each
 * delivering to its own sockets; only the server emits, never a client.
 */
export function registerChatFanout(fanout: RealtimeFanout, registry: SocketRegistry, log: Logger): void {
  fanout.onEvent([CHAT_EVENTS.messagePosted], (event, out) => {
    const p = event.payload as unknown as MessagePostedPayload;
    const meta = event.metadata.correlationId ? { correlationId: event.metadata.correlationId } : undefined;
    out.publish(membersTopic(p, p.message.conversationId), 'chat.message', p.message, meta);
    if (p.conversationKind !== 'visitor' || !p.guestId) return;
    if (p.visitor) out.publish(topics.staff, 'chat.visitor_conversation', p.visitor);
    const site = siteFrame(p.message);
    if (site) out.publish(topics.guest(p.guestId), site.type, site.payload, meta);
  });

  fanout.onEvent([CHAT_EVENTS.messageUpdated], (event, out) => {
    const p = event.payload as unknown as MessageUpdatedPayload;
    out.publish(membersTopic(p, p.message.conversationId), 'chat.message_updated', p.message);
  });

  fanout.onEvent([CHAT_EVENTS.receipt], (event, out) => {
    const p = event.payload as unknown as ReceiptPayload;
    out.publish(membersTopic(p, p.conversationId), 'chat.receipt', { conversationId: p.conversationId, userId: p.userId, kind: p.kind, upToSeq: p.upToSeq });
  });

  fanout.onEvent([CHAT_EVENTS.invitationCreated], (event, out) => {
    const p = event.payload as unknown as InvitationCreatedPayload;
    out.publish(topics.user(p.invitation.inviteeId), 'chat.invitation', p.invitation);
  });

  fanout.onEvent([CHAT_EVENTS.membershipChanged], (event, out) => {
    const p = event.payload as unknown as MembershipChangedPayload;
    const topic = topics.conversation(p.conversationId);
    const frame = { conversationId: p.conversationId, userId: p.userId, change: p.change, ...(p.role ? { role: p.role } : {}) };
    const sockets = registry.socketsOf(p.userId);
    // Joiners subscribe first so they get the frame (and every later message) once; leavers after.
    if (p.change === 'joined') for (const s of sockets) s.subscribe(topic);
    out.publish(topic, 'chat.membership', frame);
    if (p.change === 'left' || p.change === 'removed') for (const s of sockets) s.unsubscribe(topic);
    log.debug({ conversationId: p.conversationId, change: p.change, localSockets: sockets.length }, 'chat membership fan-out');
  });
}
