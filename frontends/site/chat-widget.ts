import type { SiteOutboundPayloads } from '../../generated/v1/ws-types.js';
import { backend } from '../lib/config.js';
import { createWsClient, type ConnectionState, type WsClient } from '../lib/ws-client.js';
import { mustClass } from '../lib/css-modules.js';
import { escapeToClose } from '../lib/a11y/index.js';
import { newId } from '../lib/ids.js';
import { el } from '../ui/dom.js';
import styles from './chat.module.css';

const item = (name: string): string => mustClass(styles, name);

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
  svg.setAttribute('class', item('launcherIcon'));
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

function launcherButton(panelId: string): HTMLButtonElement {
  return el(
    'button',
    {
      type: 'button',
      class: item('launcher'),
      'aria-expanded': 'false',
      'aria-controls': panelId,
    },
    chatIcon(),
    el('span', null, 'Chat with us'),
  );
}

function messageInput(): HTMLInputElement {
  return el('input', {
    class: item('composerInput'),
    type: 'text',
    name: 'chat-message',
    autocomplete: 'off',
    maxlength: 2000,
    'aria-label': 'Your message',
    placeholder: 'Type a message…',
  });
}

class ChatWidget {
  readonly launcher: HTMLButtonElement;
  readonly panel: HTMLElement;
  private readonly stateText = el(
    'p',
    { class: item('panelState'), role: 'status', 'aria-live': 'polite' },
    STATE_TEXT.idle,
  );
  private readonly log: HTMLOListElement;
  private readonly typing = el('p', { class: item('typing'), 'aria-live': 'polite' });
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
    this.launcher = launcherButton(panelId);
    const closeBtn = el(
      'button',
      { type: 'button', class: item('close'), 'aria-label': 'Close chat' },
      '×',
    );
    this.log = el(
      'ol',
      { class: item('log'), role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' },
      el(
        'li',
        { class: item('intro') },
        'Hi! Ask us anything about meals, delivery or plans. No account needed.',
      ),
    );
    this.input = messageInput();
    const sendBtn = el(
      'button',
      { type: 'submit', class: item('launcher') + ' ' + item('send') },
      'Send',
    );
    const composer = el('form', { class: item('composer') }, this.input, sendBtn);
    const head = el(
      'header',
      { class: item('panelHead') },
      el(
        'div',
        { class: item('panelHeadText') },
        el('h2', { id: 'bk-chat-title', class: item('panelTitle') }, 'Chat with Balance Kitchen'),
        this.stateText,
      ),
      closeBtn,
    );
    this.panel = el(
      'section',
      {
        id: panelId,
        class: item('panel'),
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
    composer.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
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
    const li = el(
      'li',
      { class: item('msg') + ' ' + item(kind) },
      text,
      meta ? el('span', { class: item('meta') }, meta) : null,
    );
    if (kind === 'system') li.className = item('system');
    if (seq !== undefined) li.dataset.seq = String(seq);
    // Replayed history can arrive after a newer pending line: keep the log in seq order.
    const after =
      seq === undefined
        ? null
        : [...this.log.querySelectorAll<HTMLElement>('li[data-seq]')].find(
            (hTMLElement) => Number(hTMLElement.dataset.seq) > seq,
          );
    if (after) after.before(li);
    else this.log.append(li);
    this.log.scrollTop = this.log.scrollHeight;
    return li;
  }

  private setMeta(li: HTMLElement, text: string): void {
    let meta = li.querySelector<HTMLElement>(`.${CSS.escape(item('meta'))}`);
    if (!meta) {
      meta = el('span', { class: item('meta') });
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
    client.on('session.welcome', (outboundFrame) => this.welcomed(outboundFrame.payload));
    client.on('chat.own_message', (outboundFrame) => this.ownMessage(outboundFrame.payload));
    client.on('chat.caught_up', () => {
      this.log.scrollTop = this.log.scrollHeight;
    });
    client.onState((state, info) => this.stateChanged(state, info.retryInMs));
    client.on('chat.message_accepted', (outboundFrame) => this.accepted(outboundFrame.payload));
    client.on('chat.staff_reply', (outboundFrame) => this.staffReply(outboundFrame.payload));
    client.on('chat.staff_typing', (outboundFrame) => this.staffTyping(outboundFrame.payload));
    client.on('system.error', (outboundFrame) => {
      this.addMessage('system', outboundFrame.payload.detail ?? outboundFrame.payload.title);
    });
    client.connect();
    this.chat = client;
    return client;
  }

  private welcomed(part: Out['session.welcome']): void {
    const next = part.guest?.guestId;
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
  private ownMessage(part: Out['chat.own_message']): void {
    if (this.shown.has(part.messageId)) return;
    const waiting = [...this.pending.entries()].find(
      ([, li]) => !li.dataset.messageId && li.firstChild?.textContent === part.body,
    );
    if (waiting) {
      const [cmid, li] = waiting;
      this.pending.delete(cmid);
      li.dataset.messageId = part.messageId;
      li.dataset.seq = String(part.seq);
      this.shown.set(part.messageId, li);
      this.setMeta(li, `Sent ${shortTime(part.sentAt)}`);
      return;
    }
    this.shown.set(
      part.messageId,
      this.addMessage('mine', part.body, `Sent ${shortTime(part.sentAt)}`, part.seq),
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

  private accepted(part: Out['chat.message_accepted']): void {
    const li = this.pending.get(part.clientMessageId);
    if (!li) return;
    this.pending.delete(part.clientMessageId);
    const echoed = this.shown.get(part.messageId);
    if (echoed && echoed !== li) echoed.remove();
    li.dataset.messageId = part.messageId;
    li.dataset.seq = String(part.seq);
    this.shown.set(part.messageId, li);
    this.setMeta(li, `Sent ${shortTime(part.sentAt)}`);
  }

  private staffReply(part: Out['chat.staff_reply']): void {
    this.typing.textContent = '';
    if (this.shown.has(part.messageId)) return;
    this.shown.set(
      part.messageId,
      this.addMessage(
        'theirs',
        part.body,
        `${part.staffName ?? 'Balance Kitchen'} · ${shortTime(part.sentAt)}`,
        part.seq,
      ),
    );
  }

  private staffTyping(part: Out['chat.staff_typing']): void {
    window.clearTimeout(this.typingTimer);
    if (!part.isTyping) {
      this.typing.textContent = '';
      return;
    }
    this.typing.replaceChildren(
      'Someone from our team is typing',
      el('span', { class: item('typingDots'), 'aria-hidden': 'true' }, '…'),
    );
    const until = part.expiresAt ? Date.parse(part.expiresAt) - Date.now() : 6000;
    this.typingTimer = window.setTimeout(
      () => (this.typing.textContent = ''),
      Math.min(Math.max(until, 1000), 10_000),
    );
  }
}
