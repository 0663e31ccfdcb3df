import { backend } from '../lib/config.js';
import { createWsClient, type ConnectionState } from '../lib/ws-client.js';
import { mustClass } from '../lib/css-modules.js';
import { escapeToClose } from '../lib/a11y/index.js';
import { newId } from '../lib/ids.js';
import { h } from '../ui/dom.js';
import styles from './chat.module.css';

const c = (name: string): string => mustClass(styles, name);

/** Where the guest id lives: this tab only, so a shared computer does not hand a chat to the next person. */
export const GUEST_KEY = 'bk-chat-guest';

function storedGuest(): string | undefined {
  try {
    return sessionStorage.getItem(GUEST_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeGuest(id: string): void {
  try {
    sessionStorage.setItem(GUEST_KEY, id);
  } catch {
    // Private mode: the guest lasts for this page only.
  }
}

function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', c('launcherIcon'));
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}

const STATE_TEXT: Record<ConnectionState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected — we usually reply within a few minutes',
  reconnecting: 'Connection lost — reconnecting…',
  closed: 'Disconnected',
};

/**
 * The public chat widget: a floating button that opens a non-modal panel. The WebSocket (a guest
 * session) is opened on first use, not on page load, so visitors who never chat cost nothing.
 */
export function mountChatWidget(host: HTMLElement): void {
  const panelId = 'bk-chat-panel';
  const launcher = h(
    'button',
    { type: 'button', class: c('launcher'), 'aria-expanded': 'false', 'aria-controls': panelId },
    chatIcon(),
    h('span', null, 'Chat with us'),
  );
  const stateText = h('p', { class: c('panelState'), role: 'status', 'aria-live': 'polite' }, STATE_TEXT.idle);
  const closeBtn = h('button', { type: 'button', class: c('close'), 'aria-label': 'Close chat' }, '×');
  const log = h(
    'ol',
    { class: c('log'), role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' },
    h('li', { class: c('intro') }, 'Hi! Ask us anything about meals, delivery or plans. No account needed.'),
  );
  const typing = h('p', { class: c('typing'), 'aria-live': 'polite' });
  const input = h('input', {
    class: c('composerInput'),
    type: 'text',
    name: 'chat-message',
    autocomplete: 'off',
    maxlength: 2000,
    'aria-label': 'Your message',
    placeholder: 'Type a message…',
  });
  const sendBtn = h('button', { type: 'submit', class: c('launcher') + ' ' + c('send') }, 'Send');
  const composer = h('form', { class: c('composer') }, input, sendBtn);
  const panel = h(
    'section',
    { id: panelId, class: c('panel'), role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'bk-chat-title', hidden: true },
    h('header', { class: c('panelHead') }, h('div', { class: c('panelHeadText') }, h('h2', { id: 'bk-chat-title', class: c('panelTitle') }, 'Chat with Balance Kitchen'), stateText), closeBtn),
    log,
    typing,
    composer,
  );

  let chat: ReturnType<typeof createWsClient<'site'>> | null = null;
  const pending = new Map<string, HTMLElement>();
  /** Messages on screen by server id: a live echo, a replay and an acceptance are shown once. */
  const shown = new Map<string, HTMLElement>();
  let guest: string | undefined = storedGuest();
  let typingTimer: number | undefined;
  let lastTypingSent = 0;

  function addMessage(kind: 'mine' | 'theirs' | 'system', text: string, meta?: string, seq?: number): HTMLElement {
    const li = h('li', { class: c('msg') + ' ' + c(kind) }, text, meta ? h('span', { class: c('meta') }, meta) : null);
    if (kind === 'system') li.className = c('system');
    if (seq !== undefined) li.dataset.seq = String(seq);
    // Replayed history can arrive after a newer pending line: keep the log in seq order.
    const after = seq === undefined ? null : [...log.querySelectorAll<HTMLElement>('li[data-seq]')].find((x) => Number(x.dataset.seq) > seq);
    if (after) after.before(li);
    else log.append(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  function setMeta(li: HTMLElement, text: string): void {
    let meta = li.querySelector<HTMLElement>(`.${CSS.escape(c('meta'))}`);
    if (!meta) {
      meta = h('span', { class: c('meta') });
      li.append(meta);
    }
    meta.textContent = text;
  }

  function ensureChat(): NonNullable<typeof chat> {
    if (chat) return chat;
    const client = createWsClient({ wsBase: backend.wsBase, channel: 'site', ...(guest ? { guestId: guest } : {}) });
    client.on('session.welcome', (frame) => {
      const next = frame.payload.guest?.guestId;
      if (!next) return;
      if (guest && next !== guest && shown.size > 0) {
        // The old guest expired after an hour without activity: a new conversation starts.
        for (const li of shown.values()) li.remove();
        shown.clear();
        addMessage('system', 'Your earlier chat has ended. This is a new conversation.');
      }
      guest = next;
      storeGuest(next);
    });
    client.on('chat.own_message', (frame) => {
      // My own message: echoed from another tab, or replayed after a reconnect or a reload.
      const p = frame.payload;
      if (shown.has(p.messageId)) return;
      const waiting = [...pending.entries()].find(([, li]) => !li.dataset.messageId && li.firstChild?.textContent === p.body);
      if (waiting) {
        const [cmid, li] = waiting;
        pending.delete(cmid);
        li.dataset.messageId = p.messageId;
        li.dataset.seq = String(p.seq);
        shown.set(p.messageId, li);
        setMeta(li, `Sent ${new Date(p.sentAt).toLocaleTimeString(undefined, { timeStyle: 'short' })}`);
        return;
      }
      shown.set(p.messageId, addMessage('mine', p.body, `Sent ${new Date(p.sentAt).toLocaleTimeString(undefined, { timeStyle: 'short' })}`, p.seq));
    });
    client.on('chat.caught_up', () => {
      log.scrollTop = log.scrollHeight;
    });
    client.onState((state, info) => {
      stateText.textContent =
        state === 'reconnecting' && info.retryInMs !== undefined
          ? `Connection lost — retrying in ${Math.max(1, Math.round(info.retryInMs / 1000))}s. Messages you send will wait.`
          : STATE_TEXT[state];
      panel.dataset.state = state;
      if (state === 'open') for (const li of pending.values()) setMeta(li, 'Sending…');
    });
    client.on('chat.message_accepted', (frame) => {
      const li = pending.get(frame.payload.clientMessageId);
      if (!li) return;
      pending.delete(frame.payload.clientMessageId);
      const echoed = shown.get(frame.payload.messageId);
      if (echoed && echoed !== li) echoed.remove();
      li.dataset.messageId = frame.payload.messageId;
      li.dataset.seq = String(frame.payload.seq);
      shown.set(frame.payload.messageId, li);
      setMeta(li, `Sent ${new Date(frame.payload.sentAt).toLocaleTimeString(undefined, { timeStyle: 'short' })}`);
    });
    client.on('chat.staff_reply', (frame) => {
      typing.textContent = '';
      if (shown.has(frame.payload.messageId)) return;
      shown.set(
        frame.payload.messageId,
        addMessage('theirs', frame.payload.body, `${frame.payload.staffName ?? 'Balance Kitchen'} · ${new Date(frame.payload.sentAt).toLocaleTimeString(undefined, { timeStyle: 'short' })}`, frame.payload.seq),
      );
    });
    client.on('chat.staff_typing', (frame) => {
      window.clearTimeout(typingTimer);
      if (!frame.payload.isTyping) {
        typing.textContent = '';
        return;
      }
      typing.replaceChildren('Someone from our team is typing', h('span', { class: c('typingDots'), 'aria-hidden': 'true' }, '…'));
      const until = frame.payload.expiresAt ? Date.parse(frame.payload.expiresAt) - Date.now() : 6000;
      typingTimer = window.setTimeout(() => (typing.textContent = ''), Math.min(Math.max(until, 1000), 10_000));
    });
    client.on('system.error', (frame) => {
      addMessage('system', frame.payload.detail ?? frame.payload.title);
    });
    client.connect();
    chat = client;
    return client;
  }

  function open(): void {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    ensureChat();
    input.focus();
  }
  function close(): void {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
  }

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  closeBtn.addEventListener('click', () => {
    close();
    launcher.focus();
  });
  escapeToClose(panel, close, launcher);

  input.addEventListener('input', () => {
    const now = Date.now();
    if (chat && input.value && now - lastTypingSent > 3000) {
      lastTypingSent = now;
      if (chat.state === 'open') chat.send('chat.visitor_typing', { isTyping: true });
    }
  });

  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    const client = ensureChat();
    const clientMessageId = newId('c');
    const li = addMessage('mine', body, client.state === 'open' ? 'Sending…' : 'Waiting for connection…');
    pending.set(clientMessageId, li);
    client.send('chat.visitor_message', { clientMessageId, body });
    if (lastTypingSent && client.state === 'open') client.send('chat.visitor_typing', { isTyping: false });
    lastTypingSent = 0;
    input.value = '';
    input.focus();
  });

  host.append(panel, launcher);
}
