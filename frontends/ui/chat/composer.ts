import { announce } from '../../lib/a11y/index.js';
import { composerKey } from '../../lib/chat-state.js';
import { newId } from '../../lib/ids.js';
import { el, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import { cls } from './chat-classes.js';
import type { PaneContext } from './pane-context.js';
import { errorText } from './pane-logic.js';
import type { TimelineView } from './timeline-view.js';

/** A WS send not acknowledged within this is retried over HTTP with the same clientMessageId. */
const ACK_TIMEOUT_MS = 6000;
const TYPING_EVERY_MS = 3000;

/**
 * Writing and sending: each message gets a clientMessageId and shows as pending at once; it goes over
 * the socket when open (then over HTTP with the same id if no ack comes in time), else straight over
 * HTTP. Typing indicators go out at most every few seconds while there is text.
 */
export class Composer {
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  private readonly ackTimers = new Map<string, number>();
  private lastTypingSent = 0;

  constructor(
    private readonly ctx: PaneContext,
    private readonly view: Pick<TimelineView, 'render' | 'removeEmptyNote'>,
    placeholder?: string,
  ) {
    const title = ctx.conv.title;
    const inputId = uniqueId('composer');
    const hintId = `${inputId}-hint`;
    this.input = el('textarea', {
      id: inputId,
      class: cls('composerInput'),
      name: 'message',
      rows: 2,
      maxlength: 4000,
      autocomplete: 'off',
      placeholder: placeholder ?? 'Write a message…',
      'aria-describedby': hintId,
    });
    this.form = el(
      'form',
      { class: cls('composer'), 'aria-label': `Send a message to ${title}` },
      el('label', { class: ui('srOnly'), for: inputId }, `Message to ${title}`),
      this.input,
      button('Send', { type: 'submit' }),
      el(
        'p',
        { id: hintId, class: cls('composerHint') },
        'Enter sends · Shift+Enter adds a new line',
      ),
    );
    this.listen();
  }

  async retry(clientMessageId: string): Promise<void> {
    const item = this.ctx.timeline.pendingItem(clientMessageId);
    if (!item || item.body === null) return;
    this.ctx.timeline.markPending(clientMessageId);
    this.view.render();
    await this.viaHttp(clientMessageId, item.body);
  }

  /** The server has my message (accepted or echoed): no HTTP retry for it. */
  acked(clientMessageId: string): void {
    const timer = this.ackTimers.get(clientMessageId);
    if (timer !== undefined) {
      window.clearTimeout(timer);
      this.ackTimers.delete(clientMessageId);
    }
  }

  stopTyping(): void {
    if (this.lastTypingSent && this.ctx.socket.state === 'open')
      this.ctx.socket.send('chat.typing', { conversationId: this.ctx.id, isTyping: false });
    this.lastTypingSent = 0;
  }

  dispose(): void {
    for (const ackTimer of this.ackTimers.values()) window.clearTimeout(ackTimer);
  }

  private listen(): void {
    const { socket, id } = this.ctx;
    this.input.addEventListener('keydown', (keyboardEvent) => {
      if (composerKey(keyboardEvent) === 'send') {
        keyboardEvent.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      const now = Date.now();
      if (!this.input.value.trim()) return this.stopTyping();
      if (socket.state === 'open' && now - this.lastTypingSent > TYPING_EVERY_MS) {
        this.lastTypingSent = now;
        socket.send('chat.typing', { conversationId: id, isTyping: true });
      }
    });
    this.input.addEventListener('blur', () => this.stopTyping());
    this.form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      this.submit();
    });
  }

  private submit(): void {
    const { me, timeline } = this.ctx;
    const body = this.input.value.trim();
    if (!body) return;
    const clientMessageId = newId('c');
    timeline.addPending({
      clientMessageId,
      body,
      senderId: me.id,
      senderName: me.displayName,
      now: new Date(),
    });
    this.input.value = '';
    this.stopTyping();
    this.view.removeEmptyNote();
    this.view.render('bottom');
    void this.deliver(clientMessageId, body);
    this.input.focus();
  }

  private async deliver(clientMessageId: string, body: string): Promise<void> {
    const { socket, id } = this.ctx;
    if (socket.state === 'open') {
      socket.send('chat.send', { conversationId: id, clientMessageId, body });
      this.ackTimers.set(
        clientMessageId,
        this.ctx.later(() => void this.viaHttp(clientMessageId, body), ACK_TIMEOUT_MS),
      );
      return;
    }
    await this.viaHttp(clientMessageId, body);
  }

  /** The same clientMessageId over HTTP: a send the socket already stored comes back as it is. */
  private async viaHttp(clientMessageId: string, body: string): Promise<void> {
    const { api, socket, id, timeline } = this.ctx;
    this.ackTimers.delete(clientMessageId);
    if (!timeline.pendingItem(clientMessageId)) return;
    try {
      const stored = await api.send(id, { clientMessageId, body });
      if (this.ctx.destroyed) return;
      timeline.upsert(stored);
      socket.setSeq(id, Math.max(stored.seq, 0));
    } catch (err) {
      timeline.markFailed(clientMessageId);
      announce(`Your message was not sent: ${errorText(err)}`, 'assertive');
    }
    this.view.render();
  }
}
