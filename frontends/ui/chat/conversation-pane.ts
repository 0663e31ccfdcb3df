import { announce } from '../../lib/a11y/index.js';
import type { ChatMessage } from '../../lib/chat-state.js';
import type { ConnectionState } from '../../lib/ws-client.js';
import { el, uniqueId } from '../dom.js';
import type { ChatApi, ChatSocket } from './chat-api.js';
import { cls } from './chat-classes.js';
import { Composer } from './composer.js';
import { MembersPart } from './members.js';
import { Moderation } from './moderation.js';
import { paneContext, type PaneContext, type PaneConversation } from './pane-context.js';
import { STATE_TEXT, goneText } from './pane-logic.js';
import { TimelineView } from './timeline-view.js';

export type { PaneConversation } from './pane-context.js';

export interface PaneOptions {
  api: ChatApi;
  socket: ChatSocket;
  me: { id: string; displayName: string };
  conversation: PaneConversation;
  /** Heading shown above the title (e.g. "Room", "Visitor"). */
  kindLabel: string;
  /** My read marker moved (the sidebar clears its badge). */
  onRead?(conversationId: string, upToSeq: number): void;
  /** I left or was removed: the workspace goes back to the lobby. */
  onGone?(message: string): void;
  /** Someone else sent a message here (the visitor inbox marks it waiting). */
  onMessage?(match: ChatMessage): void;
  placeholder?: string;
}

export interface Pane {
  el: HTMLElement;
  composer: HTMLTextAreaElement;
  /** Membership changed elsewhere (a live frame): reload the members shown. */
  refreshMembers(): void;
  destroy(): void;
}

interface Parts {
  view: TimelineView;
  send: Composer;
  members: MembersPart;
  connection: HTMLElement;
}

/**
 * One open conversation, put together from its parts: the timeline (history, "load older", live
 * messages, typing, read receipts), the composer (sends with a clientMessageId, pending → sent, HTTP
 * fallback with the same id), members and room actions, and moderation with a reason. This file
 * builds them, lays them out, and routes the socket's frames to them.
 */
export function conversationPane(paneOptions: PaneOptions): Pane {
  const ctx = paneContext(
    paneOptions.api,
    paneOptions.socket,
    paneOptions.me,
    paneOptions.conversation,
  );
  const titleId = uniqueId('conv-title');
  // The parts reach each other through these closures, which run only once the pane renders.
  const view: TimelineView = new TimelineView(
    ctx,
    titleId,
    { actions: (li, item) => mod.actionsFor(li, item), retry: (cmid) => void send.retry(cmid) },
    paneOptions.onRead,
  );
  const send: Composer = new Composer(ctx, view, paneOptions.placeholder);
  const mod: Moderation = new Moderation(ctx, {
    redraw: (li, item) => view.renderItem(li, item),
    applied: (updated) => {
      ctx.timeline.upsert(updated);
      view.render('keep');
      return view.nodeOf(updated.clientMessageId) ?? view.scroller;
    },
  });
  const members = new MembersPart(ctx, paneOptions.onGone);
  const connection = el(
    'p',
    { class: cls('connection'), role: 'status', dataset: { state: ctx.socket.state } },
    STATE_TEXT[ctx.socket.state],
  );
  const pane = el(
    'section',
    { class: cls('pane'), 'aria-labelledby': titleId, dataset: { conversationId: ctx.id } },
    el(
      'header',
      { class: cls('paneHead') },
      el(
        'div',
        null,
        el('span', { class: cls('paneKind') }, paneOptions.kindLabel),
        el('h1', { id: titleId, class: cls('paneTitle') }, ctx.conv.title),
        connection,
      ),
      members.tools,
    ),
    members.drawer,
    view.scroller,
    view.typingLine,
    send.form,
  );
  const offs = liveFrames(ctx, { view, send, members, connection }, paneOptions);

  members.renderTools();
  void view.loadLatest();

  return {
    el: pane,
    composer: send.input,
    refreshMembers: () => members.refresh(),
    destroy() {
      send.stopTyping();
      for (const off of offs) off();
      view.dispose();
      ctx.destroy();
      send.dispose();
    },
  };
}

/** The socket's frames for this conversation, each to the part it concerns; returns the unsubscribers. */
function liveFrames(ctx: PaneContext, parts: Parts, paneOptions: PaneOptions): Array<() => void> {
  const { socket, me, conv, id } = ctx;
  const { view, send, members, connection } = parts;
  return [
    socket.onState((state: ConnectionState) => {
      connection.textContent = STATE_TEXT[state];
      connection.dataset.state = state;
      if (state === 'open') view.render();
    }),
    socket.on('chat.message', (outboundFrame) => {
      if (outboundFrame.payload.conversationId !== id) return;
      const match = outboundFrame.payload;
      send.acked(match.clientMessageId);
      view.showMessage(match);
      if (match.sender.id !== me.id) paneOptions.onMessage?.(match);
    }),
    socket.on('chat.message_accepted', (outboundFrame) => {
      if (outboundFrame.payload.conversationId !== id) return;
      send.acked(outboundFrame.payload.clientMessageId);
      if (ctx.timeline.accept(outboundFrame.payload)) view.render();
    }),
    socket.on('chat.message_updated', (outboundFrame) => {
      if (outboundFrame.payload.conversationId === id) view.showUpdate(outboundFrame.payload);
    }),
    socket.on('chat.typing', (outboundFrame) => {
      if (outboundFrame.payload.conversationId === id) view.showTyping(outboundFrame.payload);
    }),
    socket.on('chat.receipt', (outboundFrame) => {
      if (outboundFrame.payload.conversationId === id && outboundFrame.payload.kind === 'read')
        view.showReceipt(outboundFrame.payload.userId, outboundFrame.payload.upToSeq);
    }),
    socket.on('chat.presence', (outboundFrame) =>
      members.presence(outboundFrame.payload.userId, outboundFrame.payload.status === 'online'),
    ),
    socket.on('chat.membership', (outboundFrame) => {
      const part = outboundFrame.payload;
      if (part.conversationId !== id) return;
      if (part.userId === me.id && (part.change === 'removed' || part.change === 'left'))
        return paneOptions.onGone?.(goneText(part.change, conv.title));
      if (part.userId === me.id && part.change === 'role_changed' && part.role) {
        conv.myRole = part.role;
        members.renderTools();
        view.render('keep');
      }
      members.refresh();
    }),
    socket.on('system.error', (outboundFrame) =>
      announce(outboundFrame.payload.detail ?? outboundFrame.payload.title, 'assertive'),
    ),
  ];
}
