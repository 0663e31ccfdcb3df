import type { components } from '../../../generated/v1/types.js';
import { announce } from '../../lib/a11y/index.js';
import {
  KIND_LABEL,
  groupConversations,
  unreadLabel,
  type Conversation,
} from '../../lib/chat-state.js';
import type { User } from '../../lib/session.js';
import { h, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import type { RouteContext } from '../app-shell.js';
import type { ChatApi, ChatSocket } from './chat-api.js';
import { c } from './chat-classes.js';
import { conversationPane, type Pane } from './conversation-pane.js';
import { errorText } from './pane-logic.js';

type Invitation = components['schemas']['Invitation'];

export interface WorkspaceOptions {
  api: ChatApi;
  socket: ChatSocket;
  /** Hash path of the chat page, e.g. "/chat" (conversations at "/chat/<id>"). */
  basePath: string;
  /** Extra sidebar cards (admin: sub-lobby tools). */
  sidebarExtras?(ctx: { reload(): Promise<void>; conversations(): Conversation[] }): HTMLElement[];
}

/**
 * The chat page of an authenticated surface: conversations grouped lobby / sub-lobbies / rooms with
 * unread badges, pending invitations, a new-room form, and the open conversation.
 */
export function chatWorkspace(o: WorkspaceOptions) {
  return async (ctx: RouteContext): Promise<void> => {
    if (!ctx.user) return;
    await new WorkspacePage(o, ctx, ctx.user).start();
  };
}

/** One visit to the chat page: its sidebar, the open pane, and the live frames for the rest. */
class WorkspacePage {
  private conversations: Conversation[] = [];
  private invitations: Invitation[] = [];
  private pane: Pane | null = null;
  private readonly listNav = h('nav', { 'aria-label': 'Conversations' });
  private readonly invitesBox = h('div');
  private readonly sidebar = h('aside', { class: c('sidebar'), 'aria-label': 'Chat' });
  private readonly paneSlot = h('div');

  constructor(
    private readonly o: WorkspaceOptions,
    private readonly ctx: RouteContext,
    private readonly user: User,
  ) {}

  async start(): Promise<void> {
    const { ctx, o } = this;
    ctx.main.append(h('div', { class: c('workspace') }, this.sidebar, this.paneSlot));
    const offs = this.liveFrames();
    ctx.onLeave(() => {
      for (const off of offs) off();
      this.pane?.destroy();
    });
    this.sidebar.append(
      h('section', { class: c('sideCard') }, this.listNav),
      this.invitesBox,
      this.newRoomForm(),
    );
    try {
      await this.reload();
      this.sidebar.append(
        ...(o.sidebarExtras?.({
          reload: () => this.reload(),
          conversations: () => this.conversations,
        }) ?? []),
      );
    } catch (err) {
      this.paneSlot.replaceChildren(
        h(
          'section',
          { class: c('placeholderPane') },
          h('h1', { class: ui('pageTitle') }, 'Chat'),
          h('p', { role: 'alert' }, `Chat could not be loaded: ${errorText(err)}`),
        ),
      );
      return;
    }
    this.openPane();
  }

  private async reload(): Promise<void> {
    const { api, socket } = this.o;
    const [list, invs] = await Promise.all([
      api.listConversations(),
      api.listInvitations().catch(() => this.invitations),
    ]);
    this.conversations = list;
    this.invitations = invs;
    // Resume covers every conversation from what the list says we hold.
    for (const conv of this.conversations)
      if (conv.conversationId !== this.ctx.params.id)
        socket.setSeq(conv.conversationId, conv.lastSeq);
    this.renderList();
    this.renderInvitations();
  }

  private renderList(): void {
    const groups = groupConversations(this.conversations);
    this.listNav.replaceChildren(
      h('h2', { class: c('sideTitle') }, 'Conversations'),
      ...(groups.length === 0 ? [h('p', { class: c('empty') }, 'No conversations yet.')] : []),
      ...groups.flatMap((g) => {
        const headId = uniqueId('group');
        return [
          h('h3', { id: headId, class: c('groupLabel') }, g.label),
          h(
            'ul',
            { class: c('convList'), 'aria-labelledby': headId },
            ...g.items.map((conv) => h('li', null, this.conversationLink(conv))),
          ),
        ];
      }),
    );
  }

  private conversationLink(conv: Conversation): HTMLAnchorElement {
    const current = this.ctx.params.id ?? '';
    const n = conv.conversationId === current ? 0 : conv.unreadCount;
    return h(
      'a',
      {
        class: c('convLink'),
        href: `#${this.o.basePath}/${encodeURIComponent(conv.conversationId)}`,
        'aria-current': conv.conversationId === current ? 'page' : undefined,
        'aria-label': n > 0 ? `${conv.title}, ${n} unread` : conv.title,
        dataset: { conversationId: conv.conversationId },
      },
      h('span', { class: c('convTitle') }, conv.title),
      h('span', { class: c('unread'), 'aria-hidden': 'true' }, unreadLabel(n)),
    );
  }

  private renderInvitations(): void {
    const pending = this.invitations.filter((i) => i.status === 'pending');
    if (pending.length === 0) {
      this.invitesBox.replaceChildren();
      return;
    }
    const titleId = uniqueId('invites');
    this.invitesBox.replaceChildren(
      h(
        'section',
        { class: c('sideCard'), 'aria-labelledby': titleId },
        h('h2', { id: titleId, class: c('sideTitle') }, `Invitations (${pending.length})`),
        h('ul', { class: c('inviteList') }, ...pending.map((inv) => this.invitationItem(inv))),
      ),
    );
  }

  private invitationItem(inv: Invitation): HTMLLIElement {
    const { api, basePath } = this.o;
    const status = h('p', { role: 'status', class: c('empty') });
    const forget = (): void => {
      this.invitations = this.invitations.filter((x) => x.invitationId !== inv.invitationId);
    };
    const accept = button('Accept', {
      small: true,
      onClick: () =>
        void api.accept(inv.invitationId).then(
          async (conv) => {
            announce(`You joined ${conv.title}.`);
            forget();
            await this.reload();
            this.ctx.navigate(`${basePath}/${conv.conversationId}`);
          },
          (err: unknown) => (status.textContent = errorText(err)),
        ),
    });
    const decline = button('Decline', {
      small: true,
      variant: 'secondary',
      onClick: () =>
        void api.decline(inv.invitationId).then(
          () => {
            announce(`Invitation to ${inv.conversationTitle} declined.`);
            forget();
            this.renderInvitations();
            (this.sidebar.querySelector<HTMLElement>('a, button') ?? this.sidebar).focus();
          },
          (err: unknown) => (status.textContent = errorText(err)),
        ),
    });
    return h(
      'li',
      { class: c('inviteItem') },
      h('span', null, 'You are invited to ', h('strong', null, inv.conversationTitle)),
      h('div', { class: c('row') }, accept, decline),
      status,
    );
  }

  private newRoomForm(): HTMLElement {
    const inputId = uniqueId('room-title');
    const input = h('input', {
      id: inputId,
      class: ui('input'),
      name: 'title',
      required: true,
      maxlength: 120,
      autocomplete: 'off',
    });
    const status = h('p', { role: 'status', class: c('empty') });
    const form = h(
      'form',
      { class: c('inlineForm'), id: 'new-room-form', 'aria-labelledby': `${inputId}-title` },
      h('h2', { id: `${inputId}-title`, class: c('sideTitle') }, 'New room'),
      h('label', { class: ui('label'), for: inputId }, 'Room name'),
      input,
      h('div', null, button('Create room', { type: 'submit', small: true })),
      status,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.createRoom(input, status);
    });
    return h('section', { class: c('sideCard') }, form);
  }

  private createRoom(input: HTMLInputElement, status: HTMLElement): void {
    const title = input.value.trim();
    if (!title) {
      status.textContent = 'Please name the room.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    void this.o.api.createRoom(title).then(
      async (conv) => {
        input.value = '';
        announce(`Room ${conv.title} created. You are its owner.`);
        await this.reload();
        this.ctx.navigate(`${this.o.basePath}/${conv.conversationId}`);
      },
      (err: unknown) => {
        status.textContent = errorText(err);
        input.focus();
      },
    );
  }

  private openPane(): void {
    const { o, ctx, user } = this;
    const id = ctx.params.id;
    const conv = this.conversations.find((x) => x.conversationId === id);
    if (!id || !conv) {
      const lobby = this.conversations.find((x) => x.kind === 'lobby') ?? this.conversations[0];
      if (lobby) return ctx.navigate(`${o.basePath}/${lobby.conversationId}`);
      this.paneSlot.replaceChildren(
        h(
          'section',
          { class: c('placeholderPane') },
          h('h1', { class: ui('pageTitle') }, 'Chat'),
          h('p', null, 'You are not in any conversation yet.'),
        ),
      );
      return;
    }
    this.pane = conversationPane({
      api: o.api,
      socket: o.socket,
      me: { id: user.id, displayName: user.displayName },
      conversation: {
        conversationId: conv.conversationId,
        kind: conv.kind,
        title: conv.title,
        myRole: conv.myRole,
        lastReadSeq: conv.lastReadSeq,
      },
      kindLabel: conv.kind === 'sub_lobby' ? 'Sub-lobby' : KIND_LABEL[conv.kind].replace(/s$/, ''),
      onRead: (cid, upTo) => {
        const x = this.conversations.find((y) => y.conversationId === cid);
        if (x) {
          x.lastReadSeq = upTo;
          x.unreadCount = Math.max(0, x.lastSeq - upTo);
        }
      },
      onGone: (message) => {
        announce(message);
        void this.reload().then(() => ctx.navigate(o.basePath));
      },
    });
    this.paneSlot.replaceChildren(this.pane.el);
  }

  /** Live frames for the conversations that are not open: badges, invitations, membership, gaps. */
  private liveFrames(): Array<() => void> {
    const { socket } = this.o;
    const { params } = this.ctx;
    const userId = this.user.id;
    const reloadQuietly = (): void => void this.reload().catch(() => undefined);
    return [
      socket.on('chat.message', (f) => {
        const x = this.conversations.find((y) => y.conversationId === f.payload.conversationId);
        if (!x) return reloadQuietly();
        x.lastSeq = Math.max(x.lastSeq, f.payload.seq);
        if (f.payload.conversationId !== params.id && f.payload.sender.id !== userId) {
          x.unreadCount += 1;
          this.renderList();
        }
      }),
      socket.on('chat.invitation', (f) => {
        if (f.payload.inviteeId !== userId) return;
        this.invitations = [
          ...this.invitations.filter((i) => i.invitationId !== f.payload.invitationId),
          f.payload,
        ];
        this.renderInvitations();
        if (f.payload.status === 'pending')
          announce(`You are invited to ${f.payload.conversationTitle}.`);
      }),
      socket.on('chat.membership', (f) => {
        if (f.payload.userId === userId && f.payload.conversationId !== params.id) reloadQuietly();
      }),
      socket.on('chat.caught_up', () => this.renderList()),
      socket.onGap((gap) => this.fillGap(gap)),
    ];
  }

  /** Fills a hole over HTTP; the socket then delivers what it buffered behind it. */
  private fillGap(gap: { conversationId: string; from: number; to: number }): void {
    const { api, socket } = this.o;
    void api
      .listMessages(gap.conversationId, {
        afterSeq: gap.from - 1,
        limit: Math.min(100, gap.to - gap.from + 1),
      })
      .then(
        (page) => {
          if (gap.conversationId !== this.ctx.params.id) {
            const x = this.conversations.find((y) => y.conversationId === gap.conversationId);
            if (x)
              ((x.unreadCount += page.items.filter((m) => m.sender.id !== this.user.id).length),
                this.renderList());
          }
          socket.setSeq(gap.conversationId, gap.to);
        },
        () => socket.setSeq(gap.conversationId, gap.to),
      );
  }
}
