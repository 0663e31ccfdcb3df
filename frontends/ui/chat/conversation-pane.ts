import { announce } from '../../lib/a11y/index.js';
import type { ChatMessage } from '../../lib/chat-state.js';
import type { ConnectionState } from '../../lib/ws-client.js';
import { h, uniqueId } from '../dom.js';
import type { ChatApi, ChatSocket } from './chat-api.js';
import { c } from './chat-classes.js';
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
  onMessage?(m: ChatMessage): void;
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
export function conversationPane(o: PaneOptions): Pane {
  const ctx = paneContext(o.api, o.socket, o.me, o.conversation);
  const titleId = uniqueId('conv-title');
  // The parts reach each other through these closures, which run only once the pane renders.
  const view: TimelineView = new TimelineView(
    ctx,
    titleId,
    { actions: (li, item) => mod.actionsFor(li, item), retry: (cmid) => void send.retry(cmid) },
    o.onRead,
  );
  const send: Composer = new Composer(ctx, view, o.placeholder);
  const mod: Moderation = new Moderation(ctx, {
    redraw: (li, item) => view.renderItem(li, item),
    applied: (updated) => {
      ctx.timeline.upsert(updated);
      view.render('keep');
      return view.nodeOf(updated.clientMessageId) ?? view.scroller;
    },
  });
  const members = new MembersPart(ctx, o.onGone);
  const connection = h(
    'p',
    { class: c('connection'), role: 'status', dataset: { state: ctx.socket.state } },
    STATE_TEXT[ctx.socket.state],
  );
  const el = h(
    'section',
    { class: c('pane'), 'aria-labelledby': titleId, dataset: { conversationId: ctx.id } },
    h(
      'header',
      { class: c('paneHead') },
      h(
        'div',
        null,
        h('span', { class: c('paneKind') }, o.kindLabel),
        h('h1', { id: titleId, class: c('paneTitle') }, ctx.conv.title),
        connection,
      ),
      members.tools,
    ),
    members.drawer,
    view.scroller,
    view.typingLine,
    send.form,
  );
  const offs = liveFrames(ctx, { view, send, members, connection }, o);

  members.renderTools();
  void view.loadLatest();

  return {
    el,
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
function liveFrames(ctx: PaneContext, parts: Parts, o: PaneOptions): Array<() => void> {
  const { socket, me, conv, id } = ctx;
  const { view, send, members, connection } = parts;
  return [
    socket.onState((state: ConnectionState) => {
      connection.textContent = STATE_TEXT[state];
      connection.dataset.state = state;
      if (state === 'open') view.render();
    }),
    socket.on('chat.message', (f) => {
      if (f.payload.conversationId !== id) return;
      const m = f.payload;
      send.acked(m.clientMessageId);
      view.showMessage(m);
      if (m.sender.id !== me.id) o.onMessage?.(m);
    }),
    socket.on('chat.message_accepted', (f) => {
      if (f.payload.conversationId !== id) return;
      send.acked(f.payload.clientMessageId);
      if (ctx.timeline.accept(f.payload)) view.render();
    }),
    socket.on('chat.message_updated', (f) => {
      if (f.payload.conversationId === id) view.showUpdate(f.payload);
    }),
    socket.on('chat.typing', (f) => {
      if (f.payload.conversationId === id) view.showTyping(f.payload);
    }),
    socket.on('chat.receipt', (f) => {
      if (f.payload.conversationId === id && f.payload.kind === 'read')
        view.showReceipt(f.payload.userId, f.payload.upToSeq);
    }),
    socket.on('chat.presence', (f) =>
      members.presence(f.payload.userId, f.payload.status === 'online'),
    ),
    socket.on('chat.membership', (f) => {
      const p = f.payload;
      if (p.conversationId !== id) return;
      if (p.userId === me.id && (p.change === 'removed' || p.change === 'left'))
        return o.onGone?.(goneText(p.change, conv.title));
      if (p.userId === me.id && p.change === 'role_changed' && p.role) {
        conv.myRole = p.role;
        members.renderTools();
        view.render('keep');
      }
      members.refresh();
    }),
    socket.on('system.error', (f) => announce(f.payload.detail ?? f.payload.title, 'assertive')),
  ];
}
