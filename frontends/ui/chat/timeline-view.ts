import { announce, focusElement } from '../../lib/a11y/index.js';
import {
  ReadMarkers,
  TypingTracker,
  typingText,
  type ChatMessage,
  type TimelineItem,
  type TypingIndicator,
} from '../../lib/chat-state.js';
import { el } from '../dom.js';
import { button } from '../components.js';
import { cls, cs } from './chat-classes.js';
import type { PaneContext } from './pane-context.js';
import { clockTime, deliveryText, errorText, olderLoadedText } from './pane-logic.js';
import { readReceipts, type ReadReceipts } from './read-receipts.js';

const PAGE = 40;

/** Where the scroller goes after a render: stays put, to the newest, or follows only if it was there. */
export type Scroll = 'keep' | 'bottom' | 'auto';

/** What other parts add to a message line. */
export interface ItemDecor {
  /** Moderation controls for a stored message, or null. */
  actions(li: HTMLLIElement, item: TimelineItem): HTMLElement | null;
  /** Send a failed message of mine again. */
  retry(clientMessageId: string): void;
}

/**
 * The history of one conversation: the log (one line per clientMessageId, kept in seq order as
 * messages arrive and are confirmed), "load older" by beforeSeq, who is typing, and read receipts
 * for what is on screen.
 */
export class TimelineView {
  readonly scroller: HTMLElement;
  readonly typingLine = el('p', { class: cls('typing'), 'aria-live': 'polite' });
  private readonly older = button('Load older messages', { variant: 'secondary', small: true });
  private readonly log: HTMLOListElement;
  private readonly nodes = new Map<string, HTMLLIElement>();
  private readonly typing: TypingTracker;
  private readonly readers: ReadMarkers;
  private readonly reads: ReadReceipts;

  constructor(
    private readonly ctx: PaneContext,
    titleId: string,
    private readonly decor: ItemDecor,
    onRead?: (conversationId: string, upToSeq: number) => void,
  ) {
    this.typing = new TypingTracker(ctx.me.id);
    this.readers = new ReadMarkers(ctx.me.id);
    this.older.classList.add(cls('older'));
    this.older.hidden = true;
    this.older.addEventListener('click', () => void this.loadOlder());
    this.log = el('ol', {
      class: cls('log'),
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-labelledby': titleId,
      'aria-busy': 'true',
    });
    this.scroller = el(
      'div',
      { class: cls('scroller'), tabindex: '0', 'aria-label': 'Message history' },
      this.older,
      this.log,
    );
    this.reads = readReceipts(ctx, this.scroller, this.log, onRead);
  }

  /** Puts the lines in timeline order, reusing each message's node; then checks what was read. */
  render(scroll: Scroll = 'auto'): void {
    const stick = scroll === 'bottom' || (scroll === 'auto' && this.atBottom());
    const items = this.ctx.timeline.items;
    const keep = new Set(items.map((item) => item.clientMessageId));
    for (const [key, li] of this.nodes) {
      if (!keep.has(key)) {
        li.remove();
        this.nodes.delete(key);
      }
    }
    let prev: Element | null = null;
    for (const item of items) {
      let li = this.nodes.get(item.clientMessageId);
      if (!li) this.nodes.set(item.clientMessageId, (li = el('li')));
      this.renderItem(li, item);
      const expected: Element | null = prev ? prev.nextElementSibling : this.log.firstElementChild;
      if (expected !== li) {
        if (prev) prev.after(li);
        else this.log.prepend(li);
      }
      prev = li;
    }
    this.older.hidden = !this.ctx.timeline.canLoadOlder;
    if (stick) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.reads.queue();
  }

  /** Draws one line again (unless it is busy with a form or a trail). */
  renderItem(li: HTMLLIElement, item: TimelineItem): void {
    const mine = item.senderId === this.ctx.me.id;
    li.className = cs('msg', mine && 'mine');
    li.dataset.cmid = item.clientMessageId;
    if (item.seq !== null) li.dataset.seq = String(item.seq);
    if (this.ctx.busy.has(item.clientMessageId)) return;
    const parts: Array<Node | null> = [
      el(
        'div',
        { class: cls('msgHead') },
        el('span', { class: cls('author') }, mine ? 'You' : item.senderName),
        el('time', { datetime: item.sentAt }, clockTime(item.sentAt)),
        item.editedAt && !item.deleted ? el('span', null, '(edited)') : null,
      ),
      item.deleted
        ? el('p', { class: cls('deleted') }, 'This message was removed by a moderator.')
        : el('p', { class: cls('body') }, item.body ?? ''),
      mine ? this.metaLine(item) : null,
      this.decor.actions(li, item),
    ];
    li.replaceChildren(...parts.filter((part): part is Node => part !== null));
  }

  nodeOf(clientMessageId: string): HTMLLIElement | undefined {
    return this.nodes.get(clientMessageId);
  }

  removeEmptyNote(): void {
    this.log.querySelector('[data-empty]')?.remove();
  }

  async loadLatest(): Promise<void> {
    const { api, socket, id, timeline } = this.ctx;
    this.log.setAttribute('aria-busy', 'true');
    try {
      const page = await api.listMessages(id, { limit: PAGE });
      if (this.ctx.destroyed) return;
      timeline.addPage(page.items, page.hasMore, true);
      socket.setSeq(id, timeline.newestSeq);
      if (page.items.length === 0)
        this.log.append(
          el(
            'li',
            { class: cls('dayDivider'), dataset: { empty: '' } },
            'No messages yet. Say hello!',
          ),
        );
      this.render('bottom');
    } catch (err) {
      this.log.replaceChildren(
        el(
          'li',
          { class: cls('deleted'), role: 'alert' },
          `The messages could not be loaded: ${errorText(err)}`,
        ),
      );
    } finally {
      this.log.setAttribute('aria-busy', 'false');
    }
  }

  /** A live message: it ends its sender's typing and takes its place (mine scrolls to it). */
  showMessage(match: ChatMessage): void {
    this.typing.stop(this.ctx.id, match.sender.id);
    this.renderTyping();
    this.removeEmptyNote();
    this.ctx.timeline.upsert(match);
    this.render(match.sender.id === this.ctx.me.id ? 'bottom' : 'auto');
  }

  showUpdate(match: ChatMessage): void {
    this.ctx.timeline.upsert(match);
    this.render('keep');
  }

  showTyping(target: TypingIndicator): void {
    this.typing.apply(target, Date.now());
    this.renderTyping();
  }

  showReceipt(userId: string, upToSeq: number): void {
    this.readers.apply(userId, upToSeq);
    this.render('keep');
  }

  dispose(): void {
    this.reads.dispose();
  }

  private atBottom(): boolean {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 48;
  }

  private metaLine(item: TimelineItem): HTMLElement {
    const readers = item.seq === null ? 0 : this.readers.readersOf(item.seq);
    const text = deliveryText(item, {
      live: this.ctx.socket.state === 'open',
      readers,
      kind: this.ctx.conv.kind,
    });
    const meta = el('div', { class: cls('msgMeta'), dataset: { state: item.state } }, text);
    if (item.state === 'failed') {
      meta.append(
        ' · ',
        el(
          'button',
          {
            type: 'button',
            class: cls('linkButton'),
            on: { click: () => this.decor.retry(item.clientMessageId) },
          },
          'Retry',
        ),
      );
    }
    return meta;
  }

  private renderTyping(): void {
    const { id } = this.ctx;
    this.typingLine.textContent = typingText(this.typing.names(id, Date.now()));
    const next = this.typing.nextExpiry(id);
    if (next !== null)
      this.ctx.later(() => this.renderTyping(), Math.max(200, next - Date.now() + 50));
  }

  /** One page before the oldest held, keeping the reader's place; focus moves to it once there is no more. */
  private async loadOlder(): Promise<void> {
    const { api, id, timeline } = this.ctx;
    const before = timeline.oldestSeq;
    if (before === null) return;
    this.older.disabled = true;
    this.log.setAttribute('aria-busy', 'true');
    const height = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    try {
      const page = await api.listMessages(id, { beforeSeq: before, limit: PAGE });
      timeline.addPage(page.items, page.hasMore, true);
      this.render('keep');
      this.scroller.scrollTop = top + (this.scroller.scrollHeight - height);
      announce(olderLoadedText(page.items.length));
      const first = this.log.querySelector<HTMLElement>(
        `li[data-seq="${page.items[page.items.length - 1]?.seq ?? ''}"]`,
      );
      if (this.older.hidden) focusElement(first ?? this.scroller);
    } catch (err) {
      announce(`Older messages could not be loaded: ${errorText(err)}`, 'assertive');
    } finally {
      this.older.disabled = false;
      this.log.setAttribute('aria-busy', 'false');
    }
  }
}
