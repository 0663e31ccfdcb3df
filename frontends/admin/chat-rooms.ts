import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { ApiError } from '../lib/problem.js';
import type { User } from '../lib/session.js';
import { el, uniqueId } from '../ui/dom.js';
import { button, ui } from '../ui/components.js';
import type { ChatApi, ChatSocket } from '../ui/chat/chat-api.js';
import { chatWorkspace } from '../ui/chat/chat-workspace.js';
import { cls } from '../ui/chat/chat-classes.js';
import { errorText } from './error-text.js';

type Conversation = components['schemas']['Conversation'];

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
