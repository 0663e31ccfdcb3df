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
    ...new Set(
      sockets.flatMap((socket) => (socket.actor?.kind === 'user' ? [socket.actor.userId] : [])),
    ),
  ];
  const members = await currentMembers(deps, conversationId, userIds);
  for (const socket of sockets) {
    if (socket.actor?.kind === 'user' && members.has(socket.actor.userId)) continue;
    socket.unsubscribe(topic);
    log.debug(
      { conversationId, connectionId: socket.id },
      'chat socket was no longer a member; unsubscribed',
    );
  }
}

/** Moves the member's local sockets on or off the conversation's topic around the membership frame. */
function membershipHandler(
  registry: SocketRegistry,
  log: Logger,
): Parameters<RealtimeFanout['onEvent']>[1] {
  return (event, out) => {
    const membershipChangedPayload = event.payload as unknown as MembershipChangedPayload;
    const topic = topics.conversation(membershipChangedPayload.conversationId);
    const frame = {
      conversationId: membershipChangedPayload.conversationId,
      userId: membershipChangedPayload.userId,
      change: membershipChangedPayload.change,
      ...(membershipChangedPayload.role ? { role: membershipChangedPayload.role } : {}),
    };
    const sockets = registry.socketsOf(membershipChangedPayload.userId);
    // Joiners subscribe first so they get the frame (and every later message) once; leavers after.
    if (membershipChangedPayload.change === 'joined')
      for (const socket of sockets) socket.subscribe(topic);
    out.publish(topic, 'chat.membership', frame);
    if (membershipChangedPayload.change === 'left' || membershipChangedPayload.change === 'removed')
      for (const socket of sockets) socket.unsubscribe(topic);
    log.debug(
      {
        conversationId: membershipChangedPayload.conversationId,
        change: membershipChangedPayload.change,
        localSockets: sockets.length,
      },
      'chat membership fan-out',
    );
  };
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
    const messagePostedPayload = event.payload as unknown as MessagePostedPayload;
    await membersOnly(out, messagePostedPayload, messagePostedPayload.message.conversationId);
    const meta = event.metadata.correlationId
      ? { correlationId: event.metadata.correlationId }
      : undefined;
    out.publish(
      membersTopic(messagePostedPayload, messagePostedPayload.message.conversationId),
      'chat.message',
      messagePostedPayload.message,
      meta,
    );
    if (messagePostedPayload.conversationKind !== 'visitor' || !messagePostedPayload.guestId)
      return;
    if (messagePostedPayload.visitor)
      out.publish(topics.staff, 'chat.visitor_conversation', messagePostedPayload.visitor);
    const site = siteFrame(messagePostedPayload.message);
    if (site)
      out.publish(topics.guest(messagePostedPayload.guestId), site.type, site.payload, meta);
  });

  fanout.onEvent([CHAT_EVENTS.messageUpdated], async (event, out) => {
    const messageUpdatedPayload = event.payload as unknown as MessageUpdatedPayload;
    await membersOnly(out, messageUpdatedPayload, messageUpdatedPayload.message.conversationId);
    out.publish(
      membersTopic(messageUpdatedPayload, messageUpdatedPayload.message.conversationId),
      'chat.message_updated',
      messageUpdatedPayload.message,
    );
  });

  fanout.onEvent([CHAT_EVENTS.receipt], async (event, out) => {
    const receiptPayload = event.payload as unknown as ReceiptPayload;
    await membersOnly(out, receiptPayload, receiptPayload.conversationId);
    out.publish(membersTopic(receiptPayload, receiptPayload.conversationId), 'chat.receipt', {
      conversationId: receiptPayload.conversationId,
      userId: receiptPayload.userId,
      kind: receiptPayload.kind,
      upToSeq: receiptPayload.upToSeq,
    });
  });

  fanout.onEvent([CHAT_EVENTS.invitationCreated], (event, out) => {
    const invitationCreatedPayload = event.payload as unknown as InvitationCreatedPayload;
    out.publish(
      topics.user(invitationCreatedPayload.invitation.inviteeId),
      'chat.invitation',
      invitationCreatedPayload.invitation,
    );
  });

  fanout.onEvent([CHAT_EVENTS.membershipChanged], membershipHandler(registry, log));
}
