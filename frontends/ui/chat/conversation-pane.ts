import type { components } from '../../../generated/v1/types.js';
import { mustClass, mustClasses } from '../../lib/css-modules.js';
import { announce, focusElement } from '../../lib/a11y/index.js';
import { ApiError } from '../../lib/problem.js';
import { newId } from '../../lib/ids.js';
import {
  ReadMarkers,
  Timeline,
  TypingTracker,
  canInvite,
  canLeave,
  canModerate,
  canRemoveMember,
  canSetRole,
  composerKey,
  readTarget,
  roleLabel,
  typingText,
  type ChatMessage,
  type ConversationKind,
  type MemberRole,
  type TimelineItem,
} from '../../lib/chat-state.js';
import type { ConnectionState } from '../../lib/ws-client.js';
import { h, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import type { ChatApi, ChatSocket } from './chat-api.js';
import styles from './chat.module.css';

type Member = components['schemas']['Member'];

export const c = (name: string): string => mustClass(styles, name);
export const cs = (...names: Array<string | false | null | undefined>): string => mustClasses(styles, ...names);

const PAGE = 40;
/** A WS send not acknowledged within this is retried over HTTP with the same clientMessageId. */
const ACK_TIMEOUT_MS = 6000;
const TYPING_EVERY_MS = 3000;

export interface PaneConversation {
  conversationId: string;
  kind: ConversationKind;
  title: string;
  myRole: MemberRole | null;
  lastReadSeq: number;
}

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

const STATE_TEXT: Record<ConnectionState, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.userMessage;
  return err instanceof Error ? err.message : String(err);
}

/**
 * One open conversation: history with "load older" by beforeSeq, live messages from the socket,
 * sends with a clientMessageId (pending → sent, HTTP fallback with the same id), typing, read
 * receipts for what is on screen, members and room actions, and moderation with a reason.
 */
export function conversationPane(o: PaneOptions): Pane {
  const { api, socket, me, conversation: conv } = o;
  const id = conv.conversationId;
  const timeline = new Timeline();
  const typing = new TypingTracker(me.id);
  const readers = new ReadMarkers(me.id);
  const online = new Set<string>();
  const nodes = new Map<string, HTMLLIElement>();
  /** Messages with an open edit/delete form or trail: not re-rendered under the user's hands. */
  const busy = new Set<string>();
  const timers = new Set<number>();
  const offs: Array<() => void> = [];
  let lastRead = conv.lastReadSeq;
  let members: Member[] = [];
  let destroyed = false;
  let lastTypingSent = 0;

  const titleId = uniqueId('conv-title');
  const title = h('h1', { id: titleId, class: c('paneTitle') }, conv.title);
  const connection = h('p', { class: c('connection'), role: 'status', dataset: { state: socket.state } }, STATE_TEXT[socket.state]);
  const tools = h('div', { class: c('paneTools') });
  const drawer = h('div', { class: c('drawer') });
  const older = button('Load older messages', { variant: 'secondary', small: true });
  older.classList.add(c('older'));
  older.hidden = true;
  const log = h('ol', { class: c('log'), role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-labelledby': titleId, 'aria-busy': 'true' });
  const scroller = h('div', { class: c('scroller'), tabindex: '0', 'aria-label': 'Message history' }, older, log);
  const typingLine = h('p', { class: c('typing'), 'aria-live': 'polite' });
  const composerId = uniqueId('composer');
  const hintId = `${composerId}-hint`;
  const composer = h('textarea', {
    id: composerId,
    class: c('composerInput'),
    name: 'message',
    rows: 2,
    maxlength: 4000,
    autocomplete: 'off',
    placeholder: o.placeholder ?? 'Write a message…',
    'aria-describedby': hintId,
  });
  const sendBtn = button('Send', { type: 'submit' });
  const composerForm = h(
    'form',
    { class: c('composer'), 'aria-label': `Send a message to ${conv.title}` },
    h('label', { class: ui('srOnly'), for: composerId }, `Message to ${conv.title}`),
    composer,
    sendBtn,
    h('p', { id: hintId, class: c('composerHint') }, 'Enter sends · Shift+Enter adds a new line'),
  );
  const el = h(
    'section',
    { class: c('pane'), 'aria-labelledby': titleId, dataset: { conversationId: id } },
    h('header', { class: c('paneHead') }, h('div', null, h('span', { class: c('paneKind') }, o.kindLabel), title, connection), tools),
    drawer,
    scroller,
    typingLine,
    composerForm,
  );

  // ——— rendering ———

  function atBottom(): boolean {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  }

  function metaText(item: TimelineItem): string {
    if (item.state === 'pending') return socket.state === 'open' ? 'Sending…' : 'Waiting for connection…';
    if (item.state === 'failed') return 'Not sent';
    const n = item.seq === null ? 0 : readers.readersOf(item.seq);
    if (n === 0) return 'Sent';
    return conv.kind === 'visitor' || n === 1 ? 'Read' : `Read by ${n}`;
  }

  function renderItem(li: HTMLLIElement, item: TimelineItem): void {
    const mine = item.senderId === me.id;
    li.className = cs('msg', mine && 'mine');
    li.dataset.cmid = item.clientMessageId;
    if (item.seq !== null) li.dataset.seq = String(item.seq);
    if (busy.has(item.clientMessageId)) return;
    const parts: Array<Node | null> = [
      h(
        'div',
        { class: c('msgHead') },
        h('span', { class: c('author') }, mine ? 'You' : item.senderName),
        h('time', { datetime: item.sentAt }, time(item.sentAt)),
        item.editedAt && !item.deleted ? h('span', null, '(edited)') : null,
      ),
      item.deleted ? h('p', { class: c('deleted') }, 'This message was removed by a moderator.') : h('p', { class: c('body') }, item.body ?? ''),
    ];
    if (mine) {
      const meta = h('div', { class: c('msgMeta'), dataset: { state: item.state } }, metaText(item));
      if (item.state === 'failed') {
        meta.append(' · ', h('button', { type: 'button', class: c('linkButton'), on: { click: () => void retry(item.clientMessageId) } }, 'Retry'));
      }
      parts.push(meta);
    }
    if (item.messageId && !item.deleted && canModerate(api.surface, conv.myRole)) parts.push(moderationActions(li, item));
    else if (item.messageId && item.deleted && api.moderationTrail) parts.push(h('div', { class: c('msgActions') }, trailButton(li, item)));
    li.replaceChildren(...parts.filter((p): p is Node => p !== null));
  }

  function render(scroll: 'keep' | 'bottom' | 'auto' = 'auto'): void {
    const stick = scroll === 'bottom' || (scroll === 'auto' && atBottom());
    const items = timeline.items;
    const keep = new Set(items.map((i) => i.clientMessageId));
    for (const [key, li] of nodes) if (!keep.has(key)) (li.remove(), nodes.delete(key));
    let prev: Element | null = null;
    for (const item of items) {
      let li = nodes.get(item.clientMessageId);
      if (!li) nodes.set(item.clientMessageId, (li = h('li')));
      renderItem(li, item);
      const expected: Element | null = prev ? prev.nextElementSibling : log.firstElementChild;
      if (expected !== li) {
        if (prev) prev.after(li);
        else log.prepend(li);
      }
      prev = li;
    }
    older.hidden = !timeline.canLoadOlder;
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    queueReadCheck();
  }

  function renderTyping(): void {
    typingLine.textContent = typingText(typing.names(id, Date.now()));
    const next = typing.nextExpiry(id);
    if (next !== null) later(renderTyping, Math.max(200, next - Date.now() + 50));
  }

  function later(fn: () => void, ms: number): number {
    const t = window.setTimeout(() => {
      timers.delete(t);
      if (!destroyed) fn();
    }, ms);
    timers.add(t);
    return t;
  }

  // ——— read receipts: what is actually on screen, while the page is visible ———

  let readQueued = false;
  function queueReadCheck(): void {
    if (readQueued) return;
    readQueued = true;
    requestAnimationFrame(() => {
      readQueued = false;
      if (!destroyed) checkRead();
    });
  }

  function newestVisibleSeq(): number | null {
    const bottom = scroller.getBoundingClientRect().bottom;
    const lis = [...log.children] as HTMLElement[];
    for (let i = lis.length - 1; i >= 0; i -= 1) {
      const li = lis[i]!;
      const seq = Number(li.dataset.seq);
      if (!Number.isFinite(seq) || seq <= 0) continue;
      // Seen: its top line is inside the scroller's viewport.
      if (li.getBoundingClientRect().top + 16 <= bottom) return seq;
    }
    return null;
  }

  function checkRead(): void {
    if (document.visibilityState !== 'visible') return;
    const target = readTarget(lastRead, newestVisibleSeq());
    if (target === null) return;
    lastRead = target;
    if (socket.state === 'open') socket.send('chat.read', { conversationId: id, upToSeq: target });
    else void api.markRead(id, target).catch(() => undefined);
    o.onRead?.(id, target);
  }

  // ——— history ———

  async function loadLatest(): Promise<void> {
    log.setAttribute('aria-busy', 'true');
    try {
      const page = await api.listMessages(id, { limit: PAGE });
      if (destroyed) return;
      timeline.addPage(page.items, page.hasMore, true);
      socket.setSeq(id, timeline.newestSeq);
      if (page.items.length === 0) log.append(emptyNote());
      render('bottom');
    } catch (err) {
      log.replaceChildren(h('li', { class: c('deleted'), role: 'alert' }, `The messages could not be loaded: ${errorText(err)}`));
    } finally {
      log.setAttribute('aria-busy', 'false');
    }
  }

  function emptyNote(): HTMLLIElement {
    const li = h('li', { class: c('dayDivider'), dataset: { empty: '' } }, 'No messages yet. Say hello!');
    return li;
  }

  older.addEventListener('click', () => {
    void (async () => {
      const before = timeline.oldestSeq;
      if (before === null) return;
      older.disabled = true;
      log.setAttribute('aria-busy', 'true');
      const height = scroller.scrollHeight;
      const top = scroller.scrollTop;
      try {
        const page = await api.listMessages(id, { beforeSeq: before, limit: PAGE });
        timeline.addPage(page.items, page.hasMore, true);
        render('keep');
        scroller.scrollTop = top + (scroller.scrollHeight - height);
        announce(page.items.length ? `${page.items.length} older message${page.items.length === 1 ? '' : 's'} loaded.` : 'No older messages.');
        const first = log.querySelector<HTMLElement>(`li[data-seq="${page.items[page.items.length - 1]?.seq ?? ''}"]`);
        if (older.hidden) focusElement(first ?? scroller);
      } catch (err) {
        announce(`Older messages could not be loaded: ${errorText(err)}`, 'assertive');
      } finally {
        older.disabled = false;
        log.setAttribute('aria-busy', 'false');
      }
    })();
  });

  // ——— sending ———

  const ackTimers = new Map<string, number>();

  function removeEmptyNote(): void {
    log.querySelector('[data-empty]')?.remove();
  }

  function submit(): void {
    const body = composer.value.trim();
    if (!body) return;
    const clientMessageId = newId('c');
    timeline.addPending({ clientMessageId, body, senderId: me.id, senderName: me.displayName, now: new Date() });
    composer.value = '';
    stopTyping();
    removeEmptyNote();
    render('bottom');
    void deliver(clientMessageId, body);
    composer.focus();
  }

  async function deliver(clientMessageId: string, body: string): Promise<void> {
    if (socket.state === 'open') {
      socket.send('chat.send', { conversationId: id, clientMessageId, body });
      ackTimers.set(clientMessageId, later(() => void viaHttp(clientMessageId, body), ACK_TIMEOUT_MS));
      return;
    }
    await viaHttp(clientMessageId, body);
  }

  /** The same clientMessageId over HTTP: a send the socket already stored comes back as it is. */
  async function viaHttp(clientMessageId: string, body: string): Promise<void> {
    ackTimers.delete(clientMessageId);
    if (!timeline.pendingItem(clientMessageId)) return;
    try {
      const stored = await api.send(id, { clientMessageId, body });
      if (destroyed) return;
      timeline.upsert(stored);
      socket.setSeq(id, Math.max(stored.seq, 0));
    } catch (err) {
      timeline.markFailed(clientMessageId);
      announce(`Your message was not sent: ${errorText(err)}`, 'assertive');
    }
    render();
  }

  async function retry(clientMessageId: string): Promise<void> {
    const item = timeline.pendingItem(clientMessageId);
    if (!item || item.body === null) return;
    timeline.markPending(clientMessageId);
    render();
    await viaHttp(clientMessageId, item.body);
  }

  function stopTyping(): void {
    if (lastTypingSent && socket.state === 'open') socket.send('chat.typing', { conversationId: id, isTyping: false });
    lastTypingSent = 0;
  }

  composer.addEventListener('keydown', (e) => {
    if (composerKey(e) === 'send') {
      e.preventDefault();
      submit();
    }
  });
  composer.addEventListener('input', () => {
    const now = Date.now();
    if (!composer.value.trim()) return stopTyping();
    if (socket.state === 'open' && now - lastTypingSent > TYPING_EVERY_MS) {
      lastTypingSent = now;
      socket.send('chat.typing', { conversationId: id, isTyping: true });
    }
  });
  composer.addEventListener('blur', stopTyping);
  composerForm.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  scroller.addEventListener('scroll', queueReadCheck, { passive: true });
  const onVisible = (): void => queueReadCheck();
  document.addEventListener('visibilitychange', onVisible);
  offs.push(() => document.removeEventListener('visibilitychange', onVisible));

  // ——— live frames ———

  offs.push(
    socket.onState((state) => {
      connection.textContent = STATE_TEXT[state];
      connection.dataset.state = state;
      if (state === 'open') render();
    }),
    socket.on('chat.message', (f) => {
      if (f.payload.conversationId !== id) return;
      const m = f.payload;
      typing.stop(id, m.sender.id);
      renderTyping();
      const timer = ackTimers.get(m.clientMessageId);
      if (timer !== undefined) (window.clearTimeout(timer), ackTimers.delete(m.clientMessageId));
      removeEmptyNote();
      timeline.upsert(m);
      render(m.sender.id === me.id ? 'bottom' : 'auto');
      if (m.sender.id !== me.id) o.onMessage?.(m);
    }),
    socket.on('chat.message_accepted', (f) => {
      if (f.payload.conversationId !== id) return;
      const timer = ackTimers.get(f.payload.clientMessageId);
      if (timer !== undefined) (window.clearTimeout(timer), ackTimers.delete(f.payload.clientMessageId));
      if (timeline.accept(f.payload)) render();
    }),
    socket.on('chat.message_updated', (f) => {
      if (f.payload.conversationId !== id) return;
      timeline.upsert(f.payload);
      render('keep');
    }),
    socket.on('chat.typing', (f) => {
      if (f.payload.conversationId !== id) return;
      typing.apply(f.payload, Date.now());
      renderTyping();
    }),
    socket.on('chat.receipt', (f) => {
      if (f.payload.conversationId !== id || f.payload.kind !== 'read') return;
      readers.apply(f.payload.userId, f.payload.upToSeq);
      render('keep');
    }),
    socket.on('chat.presence', (f) => {
      if (f.payload.status === 'online') online.add(f.payload.userId);
      else online.delete(f.payload.userId);
      if (members.length) renderMembers();
    }),
    socket.on('chat.membership', (f) => {
      if (f.payload.conversationId !== id) return;
      if (f.payload.userId === me.id && (f.payload.change === 'removed' || f.payload.change === 'left')) {
        o.onGone?.(f.payload.change === 'removed' ? `You were removed from ${conv.title}.` : `You left ${conv.title}.`);
        return;
      }
      if (f.payload.userId === me.id && f.payload.change === 'role_changed' && f.payload.role) {
        conv.myRole = f.payload.role;
        renderTools();
        render('keep');
      }
      if (drawer.dataset.open === 'members') void loadMembers();
    }),
    socket.on('system.error', (f) => {
      announce(f.payload.detail ?? f.payload.title, 'assertive');
    }),
  );

  // ——— members and room actions ———

  const hasMembers = conv.kind === 'room' || conv.kind === 'sub_lobby';
  const membersBtn = button('Members', { variant: 'secondary', small: true });
  membersBtn.setAttribute('aria-expanded', 'false');
  const inviteBtn = button('Invite', { variant: 'secondary', small: true });
  inviteBtn.setAttribute('aria-expanded', 'false');
  const leaveBtn = button('Leave room', { variant: 'ghost', small: true });

  function setDrawer(kind: '' | 'members' | 'invite' | 'leave', content: Node[] = []): void {
    drawer.dataset.open = kind;
    drawer.replaceChildren(...content);
    membersBtn.setAttribute('aria-expanded', String(kind === 'members'));
    inviteBtn.setAttribute('aria-expanded', String(kind === 'invite'));
  }

  function renderTools(): void {
    const list: HTMLElement[] = [];
    if (hasMembers) list.push(membersBtn);
    if (canInvite(conv.myRole, conv.kind)) list.push(inviteBtn);
    if (conv.kind === 'room' && conv.myRole !== null) list.push(leaveBtn);
    tools.replaceChildren(...list);
  }

  async function loadMembers(): Promise<void> {
    try {
      members = await api.listMembers(id);
      if (!destroyed) renderMembers();
    } catch (err) {
      setDrawer('members', [h('p', { role: 'alert' }, `Members could not be loaded: ${errorText(err)}`)]);
    }
  }

  function renderMembers(): void {
    if (drawer.dataset.open !== 'members') return;
    const status = h('p', { class: ui('srOnly'), role: 'status' });
    const list = h(
      'ul',
      { class: c('members'), 'aria-label': `Members of ${conv.title}` },
      ...members.map((m) => {
        const actions: HTMLElement[] = [];
        if (canSetRole(conv.myRole, m, me.id)) {
          const next = m.role === 'moderator' ? 'member' : 'moderator';
          actions.push(
            h('button', { type: 'button', class: c('linkButton'), on: { click: () => void memberAction(status, () => api.setRole(id, m.userId, next), `${m.displayName} is now a ${next}.`) } }, next === 'moderator' ? 'Make moderator' : 'Make member'),
          );
        }
        if (canRemoveMember(conv.myRole, m, me.id)) {
          actions.push(
            h('button', { type: 'button', class: c('linkButton'), on: { click: () => void memberAction(status, () => api.removeMember(id, m.userId), `${m.displayName} was removed.`) } }, 'Remove'),
          );
        }
        return h(
          'li',
          { class: c('member') },
          h('span', { class: c('presence'), dataset: { online: String(online.has(m.userId) || m.userId === me.id) }, title: online.has(m.userId) ? 'Online' : 'Offline', 'aria-hidden': 'true' }),
          h('span', { class: c('memberName') }, m.userId === me.id ? `${m.displayName} (you)` : m.displayName),
          h('span', { class: c('role') }, roleLabel(m.role)),
          ...actions,
        );
      }),
    );
    setDrawer('members', [list, status]);
  }

  async function memberAction(status: HTMLElement, action: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await action();
      announce(done);
      await loadMembers();
    } catch (err) {
      status.textContent = errorText(err);
      announce(errorText(err), 'assertive');
    }
  }

  membersBtn.addEventListener('click', () => {
    if (drawer.dataset.open === 'members') return setDrawer('');
    setDrawer('members', [h('p', { class: c('empty') }, 'Loading members…')]);
    void loadMembers();
  });

  inviteBtn.addEventListener('click', () => {
    if (drawer.dataset.open === 'invite') return setDrawer('');
    const inputId = uniqueId('invitee');
    const input = h('input', { id: inputId, class: ui('input'), name: 'userId', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. 3f2c…', 'aria-describedby': `${inputId}-hint` });
    const result = h('p', { role: 'status', class: c('empty') });
    const form = h(
      'form',
      { class: c('inlineForm'), 'aria-label': `Invite someone to ${conv.title}` },
      h('label', { class: ui('label'), for: inputId }, 'User id to invite'),
      h('p', { id: `${inputId}-hint`, class: ui('hint') }, 'Ask the person for the user id shown on their Account page.'),
      input,
      h('div', { class: c('row') }, button('Send invitation', { type: 'submit', small: true }), button('Cancel', { variant: 'ghost', small: true, onClick: () => (setDrawer(''), inviteBtn.focus()) })),
      result,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const userId = input.value.trim();
      if (!userId) {
        result.textContent = 'Please enter a user id.';
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      void api.invite(id, userId).then(
        () => {
          input.value = '';
          input.removeAttribute('aria-invalid');
          result.textContent = 'Invitation sent.';
        },
        (err: unknown) => {
          input.setAttribute('aria-invalid', 'true');
          result.textContent =
            err instanceof ApiError && err.code === 'CHAT.USER_NOT_FOUND'
              ? 'No user has that id.'
              : err instanceof ApiError && err.code === 'CHAT.ALREADY_MEMBER'
                ? 'That person is already in this room.'
                : err instanceof ApiError && err.status === 400
                  ? 'That does not look like a user id.'
                  : errorText(err);
          input.focus();
        },
      );
    });
    setDrawer('invite', [form]);
    input.focus();
  });

  leaveBtn.addEventListener('click', () => {
    const yes = button('Leave', { variant: 'danger', small: true });
    const no = button('Stay', { variant: 'ghost', small: true, onClick: () => (setDrawer(''), leaveBtn.focus()) });
    const status = h('p', { role: 'status' });
    yes.addEventListener('click', () => {
      void api.leave(id).then(
        () => o.onGone?.(`You left ${conv.title}.`),
        (err: unknown) => {
          status.textContent = err instanceof ApiError && err.code === 'CHAT.OWNER_CANNOT_LEAVE' ? 'As the owner you can leave only once everyone else has left.' : errorText(err);
        },
      );
    });
    setDrawer('leave', [h('p', null, `Leave ${conv.title}? You will need a new invitation to come back.`), h('div', { class: c('row') }, yes, no), status]);
    yes.focus();
  });
  drawer.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !drawer.dataset.open) return;
    const back = drawer.dataset.open === 'invite' ? inviteBtn : drawer.dataset.open === 'leave' ? leaveBtn : membersBtn;
    setDrawer('');
    back.focus();
  });

  // ——— moderation ———

  function trailButton(li: HTMLLIElement, item: TimelineItem): HTMLButtonElement {
    const btn = h('button', { type: 'button', class: c('linkButton'), 'aria-expanded': 'false' }, 'History');
    btn.addEventListener('click', () => {
      const open = li.querySelector('[data-trail]');
      if (open) {
        open.remove();
        busy.delete(item.clientMessageId);
        btn.setAttribute('aria-expanded', 'false');
        return;
      }
      busy.add(item.clientMessageId);
      btn.setAttribute('aria-expanded', 'true');
      const list = h('ol', { class: c('trail'), dataset: { trail: '' }, 'aria-label': 'Moderation history' }, h('li', null, 'Loading…'));
      li.append(list);
      void api.moderationTrail!(item.messageId!).then(
        (entries) =>
          list.replaceChildren(
            ...(entries.length
              ? entries.map((e) => h('li', null, h('strong', null, e.action === 'edit' ? 'Edited' : 'Deleted'), ` ${new Date(e.at).toLocaleString()} — “${e.reason}”`, e.before !== null ? h('div', null, `Before: ${e.before}`) : null))
              : [h('li', null, 'No moderation yet.')]),
          ),
        (err: unknown) => list.replaceChildren(h('li', { role: 'alert' }, errorText(err))),
      );
    });
    return btn;
  }

  function moderationActions(li: HTMLLIElement, item: TimelineItem): HTMLElement {
    const edit = h('button', { type: 'button', class: c('linkButton') }, 'Edit');
    const del = h('button', { type: 'button', class: c('linkButton') }, 'Delete');
    edit.addEventListener('click', () => moderationForm(li, item, 'edit'));
    del.addEventListener('click', () => moderationForm(li, item, 'delete'));
    return h('div', { class: c('msgActions'), role: 'group', 'aria-label': 'Moderation' }, edit, del, api.moderationTrail ? trailButton(li, item) : null);
  }

  function moderationForm(li: HTMLLIElement, item: TimelineItem, mode: 'edit' | 'delete'): void {
    busy.add(item.clientMessageId);
    const bodyId = uniqueId('mod-body');
    const reasonId = uniqueId('mod-reason');
    const bodyInput = h('textarea', { id: bodyId, class: ui('input'), name: 'body', rows: 3, maxlength: 4000 }, item.body ?? '');
    const reason = h('input', { id: reasonId, class: ui('input'), name: 'reason', required: true, maxlength: 500, autocomplete: 'off' });
    const status = h('p', { role: 'alert', class: c('empty') });
    const close = (): void => {
      busy.delete(item.clientMessageId);
      renderItem(li, item);
      li.querySelector<HTMLButtonElement>('button')?.focus();
    };
    const form = h(
      'form',
      { class: c('inlineForm'), 'aria-label': mode === 'edit' ? 'Edit message' : 'Delete message' },
      mode === 'edit' ? h('label', { class: ui('label'), for: bodyId }, 'New text') : h('p', { class: c('body') }, item.body ?? ''),
      mode === 'edit' ? bodyInput : null,
      h('label', { class: ui('label'), for: reasonId }, 'Reason (kept in the moderation trail)'),
      reason,
      h('div', { class: c('row') }, button(mode === 'edit' ? 'Save edit' : 'Delete message', { type: 'submit', small: true, variant: mode === 'edit' ? 'primary' : 'danger' }), button('Cancel', { variant: 'ghost', small: true, onClick: close })),
      status,
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') (e.stopPropagation(), close());
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const why = reason.value.trim();
      if (!why) {
        status.textContent = 'A reason is required.';
        reason.setAttribute('aria-invalid', 'true');
        reason.focus();
        return;
      }
      const text = bodyInput.value.trim();
      if (mode === 'edit' && !text) {
        status.textContent = 'The message cannot be empty; delete it instead.';
        bodyInput.focus();
        return;
      }
      const action = mode === 'edit' ? api.editMessage(item.messageId!, text, why) : api.deleteMessage(item.messageId!, why);
      void action.then(
        (updated) => {
          busy.delete(item.clientMessageId);
          timeline.upsert(updated);
          render('keep');
          announce(mode === 'edit' ? 'Message edited.' : 'Message deleted.');
          focusElement(nodes.get(updated.clientMessageId) ?? scroller);
        },
        (err: unknown) => {
          status.textContent = errorText(err);
        },
      );
    });
    li.replaceChildren(form);
    (mode === 'edit' ? bodyInput : reason).focus();
  }

  renderTools();
  void loadLatest();

  return {
    el,
    composer,
    refreshMembers() {
      if (drawer.dataset.open === 'members') void loadMembers();
    },
    destroy() {
      destroyed = true;
      stopTyping();
      for (const off of offs) off();
      for (const t of timers) window.clearTimeout(t);
      for (const t of ackTimers.values()) window.clearTimeout(t);
    },
  };
}
