import type { SiteOutboundPayloads } from '../../generated/v1/ws-types.js';
import { backend } from '../lib/config.js';
import { createWsClient, type ConnectionState, type WsClient } from '../lib/ws-client.js';
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
  path.setAttribute(
    'd',
    'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z',
  );
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

type SiteClient = WsClient<'site'>;
type Out = SiteOutboundPayloads;

const shortTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' });

/**
 * The public chat widget: a floating button that opens a non-modal panel. The WebSocket (a guest
 * session) is opened on first use, not on page load, so visitors who never chat cost nothing.
 */
export function mountChatWidget(host: HTMLElement): void {
  const widget = new ChatWidget();
  host.append(widget.panel, widget.launcher);
}

class ChatWidget {
  readonly launcher: HTMLButtonElement;
  readonly panel: HTMLElement;
  private readonly stateText = h(
    'p',
    { class: c('panelState'), role: 'status', 'aria-live': 'polite' },
    STATE_TEXT.idle,
  );
  private readonly log: HTMLOListElement;
  private readonly typing = h('p', { class: c('typing'), 'aria-live': 'polite' });
  private readonly input: HTMLInputElement;
  private chat: SiteClient | null = null;
  private readonly pending = new Map<string, HTMLElement>();
  /** Messages on screen by server id: a live echo, a replay and an acceptance are shown once. */
  private readonly shown = new Map<string, HTMLElement>();
  private guest: string | undefined = storedGuest();
  private typingTimer: number | undefined;
  private lastTypingSent = 0;

  constructor() {
    const panelId = 'bk-chat-panel';
    this.launcher = h(
      'button',
      { type: 'button', class: c('launcher'), 'aria-expanded': 'false', 'aria-controls': panelId },
      chatIcon(),
      h('span', null, 'Chat with us'),
    );
    const closeBtn = h(
      'button',
      { type: 'button', class: c('close'), 'aria-label': 'Close chat' },
      '×',
    );
    this.log = h(
      'ol',
      { class: c('log'), role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' },
      h(
        'li',
        { class: c('intro') },
        'Hi! Ask us anything about meals, delivery or plans. No account needed.',
      ),
    );
    this.input = h('input', {
      class: c('composerInput'),
      type: 'text',
      name: 'chat-message',
      autocomplete: 'off',
      maxlength: 2000,
      'aria-label': 'Your message',
      placeholder: 'Type a message…',
    });
    const sendBtn = h('button', { type: 'submit', class: c('launcher') + ' ' + c('send') }, 'Send');
    const composer = h('form', { class: c('composer') }, this.input, sendBtn);
    const head = h(
      'header',
      { class: c('panelHead') },
      h(
        'div',
        { class: c('panelHeadText') },
        h('h2', { id: 'bk-chat-title', class: c('panelTitle') }, 'Chat with Balance Kitchen'),
        this.stateText,
      ),
      closeBtn,
    );
    this.panel = h(
      'section',
      {
        id: panelId,
        class: c('panel'),
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': 'bk-chat-title',
        hidden: true,
      },
      head,
      this.log,
      this.typing,
      composer,
    );

    this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
    closeBtn.addEventListener('click', () => {
      this.close();
      this.launcher.focus();
    });
    escapeToClose(this.panel, () => this.close(), this.launcher);
    this.input.addEventListener('input', () => this.typed());
    composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  private open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.ensureChat();
    this.input.focus();
  }

  private close(): void {
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
  }

  private typed(): void {
    const now = Date.now();
    if (this.chat && this.input.value && now - this.lastTypingSent > 3000) {
      this.lastTypingSent = now;
      if (this.chat.state === 'open') this.chat.send('chat.visitor_typing', { isTyping: true });
    }
  }

  private submit(): void {
    const body = this.input.value.trim();
    if (!body) return;
    const client = this.ensureChat();
    const clientMessageId = newId('c');
    const li = this.addMessage(
      'mine',
      body,
      client.state === 'open' ? 'Sending…' : 'Waiting for connection…',
    );
    this.pending.set(clientMessageId, li);
    client.send('chat.visitor_message', { clientMessageId, body });
    if (this.lastTypingSent && client.state === 'open')
      client.send('chat.visitor_typing', { isTyping: false });
    this.lastTypingSent = 0;
    this.input.value = '';
    this.input.focus();
  }

  private addMessage(
    kind: 'mine' | 'theirs' | 'system',
    text: string,
    meta?: string,
    seq?: number,
  ): HTMLElement {
    const li = h(
      'li',
      { class: c('msg') + ' ' + c(kind) },
      text,
      meta ? h('span', { class: c('meta') }, meta) : null,
    );
    if (kind === 'system') li.className = c('system');
    if (seq !== undefined) li.dataset.seq = String(seq);
    // Replayed history can arrive after a newer pending line: keep the log in seq order.
    const after =
      seq === undefined
        ? null
        : [...this.log.querySelectorAll<HTMLElement>('li[data-seq]')].find(
            (x) => Number(x.dataset.seq) > seq,
          );
    if (after) after.before(li);
    else this.log.append(li);
    this.log.scrollTop = this.log.scrollHeight;
    return li;
  }

  private setMeta(li: HTMLElement, text: string): void {
    let meta = li.querySelector<HTMLElement>(`.${CSS.escape(c('meta'))}`);
    if (!meta) {
      meta = h('span', { class: c('meta') });
      li.append(meta);
    }
    meta.textContent = text;
  }

  private ensureChat(): SiteClient {
    if (this.chat) return this.chat;
    const client = createWsClient({
      wsBase: backend.wsBase,
      channel: 'site',
      ...(this.guest ? { guestId: this.guest } : {}),
    });
    client.on('session.welcome', (f) => this.welcomed(f.payload));
    client.on('chat.own_message', (f) => this.ownMessage(f.payload));
    client.on('chat.caught_up', () => {
      this.log.scrollTop = this.log.scrollHeight;
    });
    client.onState((state, info) => this.stateChanged(state, info.retryInMs));
    client.on('chat.message_accepted', (f) => this.accepted(f.payload));
    client.on('chat.staff_reply', (f) => this.staffReply(f.payload));
    client.on('chat.staff_typing', (f) => this.staffTyping(f.payload));
    client.on('system.error', (f) => {
      this.addMessage('system', f.payload.detail ?? f.payload.title);
    });
    client.connect();
    this.chat = client;
    return client;
  }

  private welcomed(p: Out['session.welcome']): void {
    const next = p.guest?.guestId;
    if (!next) return;
    if (this.guest && next !== this.guest && this.shown.size > 0) {
      // The old guest expired after an hour without activity: a new conversation starts.
      for (const li of this.shown.values()) li.remove();
      this.shown.clear();
      this.addMessage('system', 'Your earlier chat has ended. This is a new conversation.');
    }
    this.guest = next;
    storeGuest(next);
  }

  /** My own message: echoed from another tab, or replayed after a reconnect or a reload. */
  private ownMessage(p: Out['chat.own_message']): void {
    if (this.shown.has(p.messageId)) return;
    const waiting = [...this.pending.entries()].find(
      ([, li]) => !li.dataset.messageId && li.firstChild?.textContent === p.body,
    );
    if (waiting) {
      const [cmid, li] = waiting;
      this.pending.delete(cmid);
      li.dataset.messageId = p.messageId;
      li.dataset.seq = String(p.seq);
      this.shown.set(p.messageId, li);
      this.setMeta(li, `Sent ${shortTime(p.sentAt)}`);
      return;
    }
    this.shown.set(
      p.messageId,
      this.addMessage('mine', p.body, `Sent ${shortTime(p.sentAt)}`, p.seq),
    );
  }

  private stateChanged(state: ConnectionState, retryInMs: number | undefined): void {
    this.stateText.textContent =
      state === 'reconnecting' && retryInMs !== undefined
        ? `Connection lost — retrying in ${Math.max(1, Math.round(retryInMs / 1000))}s. Messages you send will wait.`
        : STATE_TEXT[state];
    this.panel.dataset.state = state;
    if (state === 'open') for (const li of this.pending.values()) this.setMeta(li, 'Sending…');
  }

  private accepted(p: Out['chat.message_accepted']): void {
    const li = this.pending.get(p.clientMessageId);
    if (!li) return;
    this.pending.delete(p.clientMessageId);
    const echoed = this.shown.get(p.messageId);
    if (echoed && echoed !== li) echoed.remove();
    li.dataset.messageId = p.messageId;
    li.dataset.seq = String(p.seq);
    this.shown.set(p.messageId, li);
    this.setMeta(li, `Sent ${shortTime(p.sentAt)}`);
  }

  private staffReply(p: Out['chat.staff_reply']): void {
    this.typing.textContent = '';
    if (this.shown.has(p.messageId)) return;
    this.shown.set(
      p.messageId,
      this.addMessage(
        'theirs',
        p.body,
        `${p.staffName ?? 'Balance Kitchen'} · ${shortTime(p.sentAt)}`,
        p.seq,
      ),
    );
  }

  private staffTyping(p: Out['chat.staff_typing']): void {
    window.clearTimeout(this.typingTimer);
    if (!p.isTyping) {
      this.typing.textContent = '';
      return;
    }
    this.typing.replaceChildren(
      'Someone from our team is typing',
      h('span', { class: c('typingDots'), 'aria-hidden': 'true' }, '…'),
    );
    const until = p.expiresAt ? Date.parse(p.expiresAt) - Date.now() : 6000;
    this.typingTimer = window.setTimeout(
      () => (this.typing.textContent = ''),
      Math.min(Math.max(until, 1000), 10_000),
    );
  }
}
