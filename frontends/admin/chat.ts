import { call, type HttpClient } from '../lib/http-client.js';
import { announce } from '../lib/a11y/index.js';
import {
  sortVisitorInbox,
  unreadLabel,
  upsertVisitor,
  type VisitorConversation,
} from '../lib/chat-state.js';
import { el, formatDateTime } from '../ui/dom.js';
import { ui } from '../ui/components.js';
import type { RouteContext } from '../ui/app-shell.js';
import type { ChatApi } from '../ui/chat/chat-api.js';
import type { LiveSocket } from '../ui/chat/live-socket.js';
import { cls } from '../ui/chat/chat-classes.js';
import { conversationPane, type Pane } from '../ui/chat/conversation-pane.js';
import { errorText } from './error-text.js';

/** A visitor has no name: a short, stable label from the guest id. */
export function visitorLabel(guestId: string): string {
  return `Visitor ${guestId.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return formatDateTime(iso);
}

function inboxItem(value: VisitorConversation, openId: string | undefined): HTMLLIElement {
  const count = value.conversationId === openId ? 0 : value.unreadCount;
  return el(
    'li',
    null,
    el(
      'a',
      {
        class: cls('inboxLink'),
        href: `#/chat/${encodeURIComponent(value.conversationId)}`,
        'aria-current': value.conversationId === openId ? 'page' : undefined,
        dataset: { conversationId: value.conversationId, status: value.status },
      },
      el(
        'span',
        { class: cls('inboxText') },
        el('strong', { class: cls('inboxName') }, visitorLabel(value.guestId)),
        el(
          'span',
          { class: cls('inboxMeta') },
          el(
            'span',
            { class: cls(value.status === 'waiting' ? 'statusWaiting' : 'statusAnswered') },
            value.status === 'waiting' ? 'Waiting' : 'Answered',
          ),
          ` ${ago(value.lastMessageAt)}`,
        ),
      ),
      el(
        'span',
        { class: cls('unread'), 'aria-label': count ? `${count} unread` : undefined },
        unreadLabel(count),
      ),
    ),
  );
}

function inboxPlaceholder(empty: boolean): HTMLElement {
  return el(
    'section',
    { class: cls('placeholderPane') },
    el(
      'div',
      null,
      el('h1', { class: ui('pageTitle') }, 'Visitor chat'),
      el(
        'p',
        null,
        empty
          ? 'When someone writes in the website chat, the conversation appears here live.'
          : 'Pick a conversation on the left to read it and reply.',
      ),
    ),
  );
}

interface InboxLayout {
  list: HTMLUListElement;
  summary: HTMLParagraphElement;
  paneSlot: HTMLDivElement;
}

function inboxLayout(main: HTMLElement): InboxLayout {
  const list = el('ul', {
    class: cls('inbox'),
    'aria-label': 'Visitor conversations, waiting first',
  });
  const summary = el('p', { class: cls('inboxSummary'), role: 'status', 'aria-live': 'polite' });
  const paneSlot = el('div');
  main.append(
    el(
      'div',
      { class: cls('workspace') },
      el(
        'aside',
        { class: cls('sidebar'), 'aria-label': 'Visitor inbox' },
        el(
          'section',
          { class: cls('sideCard') },
          el('h2', { class: cls('sideTitle') }, 'Visitor inbox'),
          summary,
          list,
        ),
      ),
      paneSlot,
    ),
  );
  return { list, summary, paneSlot };
}

function visitorPane(
  api: ChatApi,
  live: LiveSocket<'admin'>,
  me: NonNullable<RouteContext['user']>,
  open: VisitorConversation,
  onRead: (id: string, upTo: number) => void,
): Pane {
  return conversationPane({
    api,
    socket: live.chat,
    me: { id: me.id, displayName: me.displayName },
    conversation: {
      conversationId: open.conversationId,
      kind: 'visitor',
      title: visitorLabel(open.guestId),
      myRole: null,
      lastReadSeq: Math.max(0, open.lastSeq - open.unreadCount),
    },
    kindLabel: 'Website visitor',
    placeholder: 'Reply to the visitor…',
    onRead,
  });
}

async function loadInbox(
  http: HttpClient,
  summary: HTMLElement,
): Promise<VisitorConversation[] | null> {
  try {
    return sortVisitorInbox((await call(http.api.GET('/api/v1/admin/chat/visitors'))).items);
  } catch (err) {
    summary.textContent = `The inbox could not be loaded: ${errorText(err)}`;
    return null;
  }
}

/**
 * The visitor inbox: site chat conversations, waiting ones first, updated live from
 * `chat.visitor_conversation`; the open one on the right, where staff reply.
 */
export function visitorInboxView(api: ChatApi, http: HttpClient, live: LiveSocket<'admin'>) {
  return async ({ main, params, user, onLeave, navigate }: RouteContext): Promise<void> => {
    if (!user) return;
    const socket = live.chat;
    let items: VisitorConversation[] = [];
    let pane: Pane | null = null;
    const { list, summary, paneSlot } = inboxLayout(main);

    function renderList(): void {
      const waiting = items.filter((item) => item.status === 'waiting').length;
      summary.textContent =
        items.length === 0
          ? 'No visitor conversations yet.'
          : `${waiting} waiting for an answer, ${items.length} in all.`;
      list.replaceChildren(...items.map((item) => inboxItem(item, params.id)));
    }

    const offs = [
      live.get().on('chat.visitor_conversation', (outboundFrame) => {
        const known = items.some(
          (item) => item.conversationId === outboundFrame.payload.conversationId,
        );
        items = upsertVisitor(items, outboundFrame.payload);
        renderList();
        if (!known)
          announce(`New visitor conversation from ${visitorLabel(outboundFrame.payload.guestId)}.`);
      }),
    ];
    onLeave(() => {
      for (const off of offs) off();
      pane?.destroy();
    });

    items = (await loadInbox(http, summary)) ?? items;
    for (const item of items)
      if (item.conversationId !== params.id) socket.setSeq(item.conversationId, item.lastSeq);
    renderList();

    const open = items.find((item) => item.conversationId === params.id);
    if (!params.id || !open) {
      if (params.id && !open) return navigate('/chat');
      paneSlot.replaceChildren(inboxPlaceholder(items.length === 0));
      return;
    }
    pane = visitorPane(api, live, user, open, (id, upTo) => {
      const value = items.find((item) => item.conversationId === id);
      if (value) {
        value.unreadCount = Math.max(0, value.lastSeq - upTo);
        renderList();
      }
    });
    paneSlot.replaceChildren(pane.el);
  };
}
