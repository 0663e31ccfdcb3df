import type { Logger } from '../../../shared/logging/logger.js';
import type { RealtimeFanout, RealtimePublisher } from '../../../shared/realtime/realtime.port.js';
import type { ChatDeps } from '../application/chat.deps.js';
import { currentMembers } from '../application/socket-subscriptions.use-case.js';
import {
  CHAT_EVENTS,
  type ConversationRoute,
  type InvitationCreatedPayload,
  type MembershipChangedPayload,
  type MessagePostedPayload,
  type MessageUpdatedPayload,
  type ReceiptPayload,
} from '../domain/chat.events.js';
import { siteFrame } from './chat.frames.js';
import type { SocketRegistry } from './chat.registry.js';
import { membersTopic, topics } from './chat.topics.js';

/**
 * Room and sub-lobby frames reach current members only: before one is published, this
 * instance's sockets on the conversation whose user is no longer a member are unsubscribed.
 */
async function dropFormerMembers(
  deps: ChatDeps,
  log: Logger,
  out: RealtimePublisher,
  route: ConversationRoute,
  conversationId: string,
): Promise<void> {
  if (route.conversationKind !== 'room' && route.conversationKind !== 'sub_lobby') return;
  const topic = topics.conversation(conversationId);
  const sockets = out.subscribers(topic);
  if (sockets.length === 0) return;
  const userIds = [
    ...new Set(sockets.flatMap((s) => (s.actor?.kind === 'user' ? [s.actor.userId] : []))),
  ];
  const members = await currentMembers(deps, conversationId, userIds);
  for (const s of sockets) {
    if (s.actor?.kind === 'user' && members.has(s.actor.userId)) continue;
    s.unsubscribe(topic);
    log.debug(
      { conversationId, connectionId: s.id },
      'chat socket was no longer a member; unsubscribed',
    );
  }
}

/**
 * Turns chat's committed outbox events into frames. The handlers run on every instance, each
 * delivering to its own sockets; only the server emits, never a client.
 */
export function registerChatFanout(
  fanout: RealtimeFanout,
  registry: SocketRegistry,
  log: Logger,
  deps: ChatDeps,
): void {
  const membersOnly = (out: RealtimePublisher, route: ConversationRoute, conversationId: string) =>
    dropFormerMembers(deps, log, out, route, conversationId);

  fanout.onEvent([CHAT_EVENTS.messagePosted], async (event, out) => {
    const p = event.payload as unknown as MessagePostedPayload;
    await membersOnly(out, p, p.message.conversationId);
    const meta = event.metadata.correlationId
      ? { correlationId: event.metadata.correlationId }
      : undefined;
    out.publish(membersTopic(p, p.message.conversationId), 'chat.message', p.message, meta);
    if (p.conversationKind !== 'visitor' || !p.guestId) return;
    if (p.visitor) out.publish(topics.staff, 'chat.visitor_conversation', p.visitor);
    const site = siteFrame(p.message);
    if (site) out.publish(topics.guest(p.guestId), site.type, site.payload, meta);
  });

  fanout.onEvent([CHAT_EVENTS.messageUpdated], async (event, out) => {
    const p = event.payload as unknown as MessageUpdatedPayload;
    await membersOnly(out, p, p.message.conversationId);
    out.publish(membersTopic(p, p.message.conversationId), 'chat.message_updated', p.message);
  });

  fanout.onEvent([CHAT_EVENTS.receipt], async (event, out) => {
    const p = event.payload as unknown as ReceiptPayload;
    await membersOnly(out, p, p.conversationId);
    out.publish(membersTopic(p, p.conversationId), 'chat.receipt', {
      conversationId: p.conversationId,
      userId: p.userId,
      kind: p.kind,
      upToSeq: p.upToSeq,
    });
  });

  fanout.onEvent([CHAT_EVENTS.invitationCreated], (event, out) => {
    const p = event.payload as unknown as InvitationCreatedPayload;
    out.publish(topics.user(p.invitation.inviteeId), 'chat.invitation', p.invitation);
  });

  fanout.onEvent([CHAT_EVENTS.membershipChanged], (event, out) => {
    const p = event.payload as unknown as MembershipChangedPayload;
    const topic = topics.conversation(p.conversationId);
    const frame = {
      conversationId: p.conversationId,
      userId: p.userId,
      change: p.change,
      ...(p.role ? { role: p.role } : {}),
    };
    const sockets = registry.socketsOf(p.userId);
    // Joiners subscribe first so they get the frame (and every later message) once; leavers after.
    if (p.change === 'joined') for (const s of sockets) s.subscribe(topic);
    out.publish(topic, 'chat.membership', frame);
    if (p.change === 'left' || p.change === 'removed')
      for (const s of sockets) s.unsubscribe(topic);
    log.debug(
      { conversationId: p.conversationId, change: p.change, localSockets: sockets.length },
      'chat membership fan-out',
    );
  });
}
