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
import { h, formatDateTime, uniqueId } from '../ui/dom.js';
import { badge, button, ui } from '../ui/components.js';
import type { RouteContext } from '../ui/app-shell.js';
import type { ChatApi, ChatSocket } from '../ui/chat/chat-api.js';
import { chatWorkspace } from '../ui/chat/chat-workspace.js';
import type { LiveSocket } from '../ui/chat/live-socket.js';
import { c } from '../ui/chat/chat-classes.js';
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
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return formatDateTime(iso);
}

function inboxItem(v: VisitorConversation, openId: string | undefined): HTMLLIElement {
  const n = v.conversationId === openId ? 0 : v.unreadCount;
  return h(
    'li',
    null,
    h(
      'a',
      {
        class: c('inboxLink'),
        href: `#/chat/${encodeURIComponent(v.conversationId)}`,
        'aria-current': v.conversationId === openId ? 'page' : undefined,
        dataset: { conversationId: v.conversationId, status: v.status },
      },
      h(
        'span',
        { class: c('inboxText') },
        h('strong', { class: c('inboxName') }, visitorLabel(v.guestId)),
        h(
          'span',
          { class: c('inboxMeta') },
          h(
            'span',
            { class: c(v.status === 'waiting' ? 'statusWaiting' : 'statusAnswered') },
            v.status === 'waiting' ? 'Waiting' : 'Answered',
          ),
          ` ${ago(v.lastMessageAt)}`,
        ),
      ),
      h(
        'span',
        { class: c('unread'), 'aria-label': n ? `${n} unread` : undefined },
        unreadLabel(n),
      ),
    ),
  );
}

function inboxPlaceholder(empty: boolean): HTMLElement {
  return h(
    'section',
    { class: c('placeholderPane') },
    h(
      'div',
      null,
      h('h1', { class: ui('pageTitle') }, 'Visitor chat'),
      h(
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
    const list = h('ul', {
      class: c('inbox'),
      'aria-label': 'Visitor conversations, waiting first',
    });
    const summary = h('p', { class: c('inboxSummary'), role: 'status', 'aria-live': 'polite' });
    const paneSlot = h('div');
    main.append(
      h(
        'div',
        { class: c('workspace') },
        h(
          'aside',
          { class: c('sidebar'), 'aria-label': 'Visitor inbox' },
          h(
            'section',
            { class: c('sideCard') },
            h('h2', { class: c('sideTitle') }, 'Visitor inbox'),
            summary,
            list,
          ),
        ),
        paneSlot,
      ),
    );

    function renderList(): void {
      const waiting = items.filter((i) => i.status === 'waiting').length;
      summary.textContent =
        items.length === 0
          ? 'No visitor conversations yet.'
          : `${waiting} waiting for an answer, ${items.length} in all.`;
      list.replaceChildren(...items.map((v) => inboxItem(v, params.id)));
    }

    const offs = [
      live.get().on('chat.visitor_conversation', (f) => {
        const known = items.some((i) => i.conversationId === f.payload.conversationId);
        items = upsertVisitor(items, f.payload);
        renderList();
        if (!known) announce(`New visitor conversation from ${visitorLabel(f.payload.guestId)}.`);
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
    for (const v of items)
      if (v.conversationId !== params.id) socket.setSeq(v.conversationId, v.lastSeq);
    renderList();

    const open = items.find((v) => v.conversationId === params.id);
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
        const v = items.find((x) => x.conversationId === id);
        if (v) {
          v.unreadCount = Math.max(0, v.lastSeq - upTo);
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
  const datalist = h('datalist', { id: clientsList });
  void call(
    http.api.GET('/api/v1/admin/users', {
      params: { query: { role: 'client', status: 'active', limit: 100 } },
    }),
  ).then(
    (page) =>
      datalist.replaceChildren(
        ...page.items.map((u) => h('option', { value: u.id }, `${u.displayName} <${u.email}>`)),
      ),
    () => undefined,
  );
  const create = newSubLobbyForm(http, me, async () => {
    await reload();
    add.renderTargets();
  });
  const add = addClientForm(http, datalist, conversations);
  add.renderTargets();
  return h('section', { class: c('sideCard') }, create, h('hr', { class: ui('rule') }), add.form);
}

/** Names a sub-lobby and its account manager (mine filled in); `created` runs after it exists. */
function newSubLobbyForm(
  http: HttpClient,
  me: User,
  created: () => Promise<void>,
): HTMLFormElement {
  const tId = uniqueId('sl-title');
  const mId = uniqueId('sl-manager');
  const title = h('input', {
    id: tId,
    class: ui('input'),
    name: 'title',
    required: true,
    maxlength: 120,
    autocomplete: 'off',
  });
  const manager = h('input', {
    id: mId,
    class: ui('input'),
    name: 'managerId',
    required: true,
    value: me.id,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${mId}-hint`,
  });
  const status = h('p', { role: 'status', class: c('empty') });
  const form = h(
    'form',
    { class: c('inlineForm'), id: 'sub-lobby-form', 'aria-labelledby': `${tId}-h` },
    h('h2', { id: `${tId}-h`, class: c('sideTitle') }, 'New sub-lobby'),
    h('label', { class: ui('label'), for: tId }, 'Name'),
    title,
    h('label', { class: ui('label'), for: mId }, 'Account manager (staff user id)'),
    h('p', { id: `${mId}-hint`, class: ui('hint') }, 'Yours is filled in.'),
    manager,
    h('div', null, button('Create sub-lobby', { type: 'submit', small: true })),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
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
  const target = h('select', { id: sId, class: ui('input'), name: 'conversationId' });
  const client = h('input', {
    id: uId,
    class: ui('input'),
    name: 'userId',
    list: datalist.id,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${uId}-hint`,
  });
  const status = h('p', { role: 'status', class: c('empty') });
  const form = h(
    'form',
    { class: c('inlineForm'), id: 'sub-lobby-member-form', 'aria-labelledby': `${sId}-h` },
    h('h2', { id: `${sId}-h`, class: c('sideTitle') }, 'Add a client to a sub-lobby'),
    h('label', { class: ui('label'), for: sId }, 'Sub-lobby'),
    target,
    h('label', { class: ui('label'), for: uId }, 'Client (user id)'),
    h('p', { id: `${uId}-hint`, class: ui('hint') }, 'Start typing to pick from active clients.'),
    client,
    datalist,
    h('div', null, button('Add client', { type: 'submit', small: true })),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
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
      (m) => {
        client.value = '';
        status.textContent = `${m.displayName} added.`;
      },
      (err: unknown) =>
        (status.textContent =
          err instanceof ApiError && err.code === 'CHAT.ALREADY_MEMBER'
            ? 'That client is already in this sub-lobby.'
            : errorText(err)),
    );
  });
  const renderTargets = (): void => {
    const subs = conversations().filter((x) => x.kind === 'sub_lobby');
    target.replaceChildren(...subs.map((x) => h('option', { value: x.conversationId }, x.title)));
    form.hidden = subs.length === 0;
  };
  return { form, renderTargets };
}

type DeadLetter = components['schemas']['DeadLetter'];

function deadLetterRow(http: HttpClient, d: DeadLetter): HTMLTableRowElement {
  const statusCell = h('td');
  renderReplayStatus(http, statusCell, d);
  return h(
    'tr',
    null,
    h('td', null, formatDateTime(d.failedAt)),
    h('td', null, h('code', { class: ui('mono') }, d.eventType)),
    h('td', null, d.consumer),
    h('td', null, String(d.attempts)),
    h(
      'td',
      null,
      h(
        'span',
        { class: ui('mono') },
        d.lastError.length > 160 ? `${d.lastError.slice(0, 160)}…` : d.lastError,
      ),
    ),
    statusCell,
  );
}

function renderReplayStatus(http: HttpClient, statusCell: HTMLElement, x: DeadLetter): void {
  if (x.replayedAt) {
    statusCell.replaceChildren(
      badge('replayed'),
      h('div', { class: ui('muted') }, formatDateTime(x.replayedAt)),
    );
    return;
  }
  const replay = button('Replay…', { small: true, variant: 'secondary' });
  replay.setAttribute('aria-label', `Replay ${x.eventType} to ${x.consumer}`);
  replay.addEventListener('click', () => confirmReplay(http, statusCell, x));
  statusCell.replaceChildren(badge('failed'), ' ', replay);
}

function confirmReplay(http: HttpClient, statusCell: HTMLElement, x: DeadLetter): void {
  const yes = button('Replay now', { small: true });
  const no = button('Cancel', { small: true, variant: 'ghost' });
  const msg = h('p', { role: 'status' });
  const confirm = h(
    'div',
    { class: ui('stack'), role: 'group', 'aria-label': 'Confirm replay' },
    h('span', null, `Send ${x.eventType} to ${x.consumer} again?`),
    h('div', { class: ui('actions') }, yes, no),
    msg,
  );
  const back = (): void => {
    renderReplayStatus(http, statusCell, x);
    statusCell.querySelector('button')?.focus();
  };
  no.addEventListener('click', back);
  confirm.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') back();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    void call(
      http.api.POST('/api/v1/admin/events/dead-letters/{deadLetterId}/replay', {
        params: { path: { deadLetterId: x.id } },
      }),
    ).then(
      (updated) => {
        renderReplayStatus(http, statusCell, updated);
        announce(`${x.eventType} replayed to ${x.consumer}.`);
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
    const tbody = h('tbody');
    const result = h('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      h('div', { class: ui('pageHead') }, h('h1', { class: ui('pageTitle') }, 'Dead letters')),
      h(
        'p',
        { class: ui('muted') },
        'Events whose consumer failed after every retry. Replaying hands the event to that consumer once more; its idempotency keeps it from applying twice.',
      ),
      result,
      h(
        'div',
        { class: ui('tableWrap') },
        h(
          'table',
          { class: ui('table') },
          h('caption', { class: ui('srOnly') }, 'Dead letters, newest first'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...['Failed', 'Event', 'Consumer', 'Attempts', 'Last error', 'Status'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          tbody,
        ),
      ),
      h('div', { class: ui('actions') }, more),
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
        for (const d of page.items) tbody.append(deadLetterRow(http, d));
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
