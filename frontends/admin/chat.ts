import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { announce } from '../lib/a11y/index.js';
import { ApiError } from '../lib/problem.js';
import {
  sortVisitorInbox,
  unreadLabel,
  upsertVisitor,
  type VisitorConversation,
} from '../lib/chat-state.js';
import type { User } from '../lib/session.js';
import { el, formatDateTime, uniqueId } from '../ui/dom.js';
import { badge, button, ui } from '../ui/components.js';
import type { RouteContext } from '../ui/app-shell.js';
import type { ChatApi, ChatSocket } from '../ui/chat/chat-api.js';
import { chatWorkspace } from '../ui/chat/chat-workspace.js';
import type { LiveSocket } from '../ui/chat/live-socket.js';
import { cls } from '../ui/chat/chat-classes.js';
import { conversationPane, type Pane } from '../ui/chat/conversation-pane.js';

type Conversation = components['schemas']['Conversation'];

function errorText(err: unknown): string {
  return err instanceof ApiError
    ? err.userMessage
    : err instanceof Error
      ? err.message
      : String(err);
}

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

    try {
      items = sortVisitorInbox((await call(http.api.GET('/api/v1/admin/chat/visitors'))).items);
    } catch (err) {
      summary.textContent = `The inbox could not be loaded: ${errorText(err)}`;
    }
    for (const item of items)
      if (item.conversationId !== params.id) socket.setSeq(item.conversationId, item.lastSeq);
    renderList();

    const open = items.find((item) => item.conversationId === params.id);
    if (!params.id || !open) {
      if (params.id && !open) return navigate('/chat');
      paneSlot.replaceChildren(inboxPlaceholder(items.length === 0));
      return;
    }
    pane = conversationPane({
      api,
      socket,
      me: { id: user.id, displayName: user.displayName },
      conversation: {
        conversationId: open.conversationId,
        kind: 'visitor',
        title: visitorLabel(open.guestId),
        myRole: null,
        lastReadSeq: Math.max(0, open.lastSeq - open.unreadCount),
      },
      kindLabel: 'Website visitor',
      placeholder: 'Reply to the visitor…',
      onRead: (id, upTo) => {
        const value = items.find((item) => item.conversationId === id);
        if (value) {
          value.unreadCount = Math.max(0, value.lastSeq - upTo);
          renderList();
        }
      },
    });
    paneSlot.replaceChildren(pane.el);
  };
}

/** Lobby, sub-lobbies and rooms with moderation; admins also create sub-lobbies and add clients. */
export function roomsView(
  api: ChatApi,
  http: HttpClient,
  socket: ChatSocket,
  session: { readonly user: User | null },
) {
  return chatWorkspace({
    api,
    socket,
    basePath: '/rooms',
    sidebarExtras: ({ reload, conversations }) => {
      const user = session.user;
      if (!user || (user.role !== 'admin' && user.role !== 'super_admin')) return [];
      return [subLobbyCard(http, user, reload, conversations)];
    },
  });
}

function subLobbyCard(
  http: HttpClient,
  me: User,
  reload: () => Promise<void>,
  conversations: () => Conversation[],
): HTMLElement {
  const clientsList = uniqueId('clients');
  const datalist = el('datalist', { id: clientsList });
  void call(
    http.api.GET('/api/v1/admin/users', {
      params: { query: { role: 'client', status: 'active', limit: 100 } },
    }),
  ).then(
    (page) =>
      datalist.replaceChildren(
        ...page.items.map((item) =>
          el('option', { value: item.id }, `${item.displayName} <${item.email}>`),
        ),
      ),
    () => undefined,
  );
  const create = newSubLobbyForm(http, me, async () => {
    await reload();
    add.renderTargets();
  });
  const add = addClientForm(http, datalist, conversations);
  add.renderTargets();
  return el(
    'section',
    { class: cls('sideCard') },
    create,
    el('hr', { class: ui('rule') }),
    add.form,
  );
}

/** Names a sub-lobby and its account manager (mine filled in); `created` runs after it exists. */
function newSubLobbyForm(
  http: HttpClient,
  me: User,
  created: () => Promise<void>,
): HTMLFormElement {
  const tId = uniqueId('sl-title');
  const mId = uniqueId('sl-manager');
  const title = el('input', {
    id: tId,
    class: ui('input'),
    name: 'title',
    required: true,
    maxlength: 120,
    autocomplete: 'off',
  });
  const manager = el('input', {
    id: mId,
    class: ui('input'),
    name: 'managerId',
    required: true,
    value: me.id,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${mId}-hint`,
  });
  const status = el('p', { role: 'status', class: cls('empty') });
  const form = el(
    'form',
    { class: cls('inlineForm'), id: 'sub-lobby-form', 'aria-labelledby': `${tId}-h` },
    el('h2', { id: `${tId}-h`, class: cls('sideTitle') }, 'New sub-lobby'),
    el('label', { class: ui('label'), for: tId }, 'Name'),
    title,
    el('label', { class: ui('label'), for: mId }, 'Account manager (staff user id)'),
    el('p', { id: `${mId}-hint`, class: ui('hint') }, 'Yours is filled in.'),
    manager,
    el('div', null, button('Create sub-lobby', { type: 'submit', small: true })),
    status,
  );
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    if (!title.value.trim() || !manager.value.trim()) {
      status.textContent = 'Please give a name and a manager.';
      (title.value.trim() ? manager : title).focus();
      return;
    }
    void call(
      http.api.POST('/api/v1/admin/chat/sub-lobbies', {
        body: { title: title.value.trim(), managerId: manager.value.trim() },
      }),
    ).then(
      async (conv) => {
        title.value = '';
        status.textContent = `Sub-lobby ${conv.title} created.`;
        await created();
      },
      (err: unknown) => (status.textContent = errorText(err)),
    );
  });
  return form;
}

/** Adds a client (picked from the datalist of active clients) to one of the sub-lobbies. */
function addClientForm(
  http: HttpClient,
  datalist: HTMLDataListElement,
  conversations: () => Conversation[],
): { form: HTMLFormElement; renderTargets(): void } {
  const sId = uniqueId('sl-target');
  const uId = uniqueId('sl-client');
  const target = el('select', { id: sId, class: ui('input'), name: 'conversationId' });
  const client = el('input', {
    id: uId,
    class: ui('input'),
    name: 'userId',
    list: datalist.id,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${uId}-hint`,
  });
  const status = el('p', { role: 'status', class: cls('empty') });
  const form = el(
    'form',
    { class: cls('inlineForm'), id: 'sub-lobby-member-form', 'aria-labelledby': `${sId}-h` },
    el('h2', { id: `${sId}-h`, class: cls('sideTitle') }, 'Add a client to a sub-lobby'),
    el('label', { class: ui('label'), for: sId }, 'Sub-lobby'),
    target,
    el('label', { class: ui('label'), for: uId }, 'Client (user id)'),
    el('p', { id: `${uId}-hint`, class: ui('hint') }, 'Start typing to pick from active clients.'),
    client,
    datalist,
    el('div', null, button('Add client', { type: 'submit', small: true })),
    status,
  );
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    const userId = client.value.trim();
    if (!target.value || !userId) {
      status.textContent = 'Please choose a sub-lobby and a client.';
      client.focus();
      return;
    }
    void call(
      http.api.POST('/api/v1/admin/chat/sub-lobbies/{conversationId}/members', {
        params: { path: { conversationId: target.value } },
        body: { userId },
      }),
    ).then(
      (match) => {
        client.value = '';
        status.textContent = `${match.displayName} added.`;
      },
      (err: unknown) =>
        (status.textContent =
          err instanceof ApiError && err.code === 'CHAT.ALREADY_MEMBER'
            ? 'That client is already in this sub-lobby.'
            : errorText(err)),
    );
  });
  const renderTargets = (): void => {
    const subs = conversations().filter((item) => item.kind === 'sub_lobby');
    target.replaceChildren(
      ...subs.map((sub) => el('option', { value: sub.conversationId }, sub.title)),
    );
    form.hidden = subs.length === 0;
  };
  return { form, renderTargets };
}

type DeadLetter = components['schemas']['DeadLetter'];

function deadLetterRow(http: HttpClient, data: DeadLetter): HTMLTableRowElement {
  const statusCell = el('td');
  renderReplayStatus(http, statusCell, data);
  return el(
    'tr',
    null,
    el('td', null, formatDateTime(data.failedAt)),
    el('td', null, el('code', { class: ui('mono') }, data.eventType)),
    el('td', null, data.consumer),
    el('td', null, String(data.attempts)),
    el(
      'td',
      null,
      el(
        'span',
        { class: ui('mono') },
        data.lastError.length > 160 ? `${data.lastError.slice(0, 160)}…` : data.lastError,
      ),
    ),
    statusCell,
  );
}

function renderReplayStatus(http: HttpClient, statusCell: HTMLElement, item: DeadLetter): void {
  if (item.replayedAt) {
    statusCell.replaceChildren(
      badge('replayed'),
      el('div', { class: ui('muted') }, formatDateTime(item.replayedAt)),
    );
    return;
  }
  const replay = button('Replay…', { small: true, variant: 'secondary' });
  replay.setAttribute('aria-label', `Replay ${item.eventType} to ${item.consumer}`);
  replay.addEventListener('click', () => confirmReplay(http, statusCell, item));
  statusCell.replaceChildren(badge('failed'), ' ', replay);
}

function confirmReplay(http: HttpClient, statusCell: HTMLElement, item: DeadLetter): void {
  const yes = button('Replay now', { small: true });
  const no = button('Cancel', { small: true, variant: 'ghost' });
  const msg = el('p', { role: 'status' });
  const confirm = el(
    'div',
    { class: ui('stack'), role: 'group', 'aria-label': 'Confirm replay' },
    el('span', null, `Send ${item.eventType} to ${item.consumer} again?`),
    el('div', { class: ui('actions') }, yes, no),
    msg,
  );
  const back = (): void => {
    renderReplayStatus(http, statusCell, item);
    statusCell.querySelector('button')?.focus();
  };
  no.addEventListener('click', back);
  confirm.addEventListener('keydown', (keyboardEvent) => {
    if (keyboardEvent.key === 'Escape') back();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    void call(
      http.api.POST('/api/v1/admin/events/dead-letters/{deadLetterId}/replay', {
        params: { path: { deadLetterId: item.id } },
      }),
    ).then(
      (updated) => {
        renderReplayStatus(http, statusCell, updated);
        announce(`${item.eventType} replayed to ${item.consumer}.`);
        statusCell.setAttribute('tabindex', '-1');
        statusCell.focus();
      },
      (err: unknown) => {
        yes.disabled = false;
        msg.textContent =
          err instanceof ApiError && err.code === 'EVENTS.ALREADY_REPLAYED'
            ? 'This dead letter was already replayed.'
            : errorText(err);
      },
    );
  });
  statusCell.replaceChildren(confirm);
  yes.focus();
}

/** Dead letters: events a consumer gave up on, newest first, each replayable once after a confirm. */
export function deadLettersView(http: HttpClient) {
  return async ({ main }: RouteContext): Promise<void> => {
    const tbody = el('tbody');
    const result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      el('div', { class: ui('pageHead') }, el('h1', { class: ui('pageTitle') }, 'Dead letters')),
      el(
        'p',
        { class: ui('muted') },
        'Events whose consumer failed after every retry. Replaying hands the event to that consumer once more; its idempotency keeps it from applying twice.',
      ),
      result,
      el(
        'div',
        { class: ui('tableWrap') },
        el(
          'table',
          { class: ui('table') },
          el('caption', { class: ui('srOnly') }, 'Dead letters, newest first'),
          el(
            'thead',
            null,
            el(
              'tr',
              null,
              ...['Failed', 'Event', 'Consumer', 'Attempts', 'Last error', 'Status'].map((text) =>
                el('th', { scope: 'col' }, text),
              ),
            ),
          ),
          tbody,
        ),
      ),
      el('div', { class: ui('actions') }, more),
    );

    let cursor: string | null = null;
    let count = 0;
    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const page = await call(
          http.api.GET('/api/v1/admin/events/dead-letters', {
            params: { query: cursor ? { cursor, limit: 25 } : { limit: 25 } },
          }),
        );
        for (const item of page.items) tbody.append(deadLetterRow(http, item));
        count += page.items.length;
        cursor = page.nextCursor;
        more.hidden = !cursor;
        result.textContent =
          count === 0
            ? 'No dead letters. Every consumer is keeping up.'
            : `${count} dead letter${count === 1 ? '' : 's'} shown${cursor ? '; more available' : ''}.`;
      } catch (err) {
        result.textContent = `Dead letters could not be loaded: ${errorText(err)}`;
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', () => void load());
    await load();
  };
}
