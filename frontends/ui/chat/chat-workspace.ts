import type { components } from '../../../generated/v1/types.js';
import { announce } from '../../lib/a11y/index.js';
import {
  KIND_LABEL,
  groupConversations,
  unreadLabel,
  type Conversation,
} from '../../lib/chat-state.js';
import type { User } from '../../lib/session.js';
import { el, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import type { RouteContext } from '../app-shell.js';
import type { ChatApi, ChatSocket } from './chat-api.js';
import { cls } from './chat-classes.js';
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
export function chatWorkspace(workspaceOptions: WorkspaceOptions) {
  return async (ctx: RouteContext): Promise<void> => {
    if (!ctx.user) return;
    await new WorkspacePage(workspaceOptions, ctx, ctx.user).start();
  };
}

/** One visit to the chat page: its sidebar, the open pane, and the live frames for the rest. */
class WorkspacePage {
  private conversations: Conversation[] = [];
  private invitations: Invitation[] = [];
  private pane: Pane | null = null;
  private readonly listNav = el('nav', { 'aria-label': 'Conversations' });
  private readonly invitesBox = el('div');
  private readonly sidebar = el('aside', { class: cls('sidebar'), 'aria-label': 'Chat' });
  private readonly paneSlot = el('div');

  constructor(
    private readonly o: WorkspaceOptions,
    private readonly ctx: RouteContext,
    private readonly user: User,
  ) {}

  async start(): Promise<void> {
    const { ctx, o: workspaceOptions } = this;
    ctx.main.append(el('div', { class: cls('workspace') }, this.sidebar, this.paneSlot));
    const offs = this.liveFrames();
    ctx.onLeave(() => {
      for (const off of offs) off();
      this.pane?.destroy();
    });
    this.sidebar.append(
      el('section', { class: cls('sideCard') }, this.listNav),
      this.invitesBox,
      this.newRoomForm(),
    );
    try {
      await this.reload();
      this.sidebar.append(
        ...(workspaceOptions.sidebarExtras?.({
          reload: () => this.reload(),
          conversations: () => this.conversations,
        }) ?? []),
      );
    } catch (err) {
      this.paneSlot.replaceChildren(
        el(
          'section',
          { class: cls('placeholderPane') },
          el('h1', { class: ui('pageTitle') }, 'Chat'),
          el('p', { role: 'alert' }, `Chat could not be loaded: ${errorText(err)}`),
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
      el('h2', { class: cls('sideTitle') }, 'Conversations'),
      ...(groups.length === 0 ? [el('p', { class: cls('empty') }, 'No conversations yet.')] : []),
      ...groups.flatMap((group) => {
        const headId = uniqueId('group');
        return [
          el('h3', { id: headId, class: cls('groupLabel') }, group.label),
          el(
            'ul',
            { class: cls('convList'), 'aria-labelledby': headId },
            ...group.items.map((conv) => el('li', null, this.conversationLink(conv))),
          ),
        ];
      }),
    );
  }

  private conversationLink(conv: Conversation): HTMLAnchorElement {
    const current = this.ctx.params.id ?? '';
    const count = conv.conversationId === current ? 0 : conv.unreadCount;
    return el(
      'a',
      {
        class: cls('convLink'),
        href: `#${this.o.basePath}/${encodeURIComponent(conv.conversationId)}`,
        'aria-current': conv.conversationId === current ? 'page' : undefined,
        'aria-label': count > 0 ? `${conv.title}, ${count} unread` : conv.title,
        dataset: { conversationId: conv.conversationId },
      },
      el('span', { class: cls('convTitle') }, conv.title),
      el('span', { class: cls('unread'), 'aria-hidden': 'true' }, unreadLabel(count)),
    );
  }

  private renderInvitations(): void {
    const pending = this.invitations.filter((invitation) => invitation.status === 'pending');
    if (pending.length === 0) {
      this.invitesBox.replaceChildren();
      return;
    }
    const titleId = uniqueId('invites');
    this.invitesBox.replaceChildren(
      el(
        'section',
        { class: cls('sideCard'), 'aria-labelledby': titleId },
        el('h2', { id: titleId, class: cls('sideTitle') }, `Invitations (${pending.length})`),
        el('ul', { class: cls('inviteList') }, ...pending.map((inv) => this.invitationItem(inv))),
      ),
    );
  }

  private invitationItem(inv: Invitation): HTMLLIElement {
    const { api, basePath } = this.o;
    const status = el('p', { role: 'status', class: cls('empty') });
    const forget = (): void => {
      this.invitations = this.invitations.filter(
        (invitation) => invitation.invitationId !== inv.invitationId,
      );
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
    return el(
      'li',
      { class: cls('inviteItem') },
      el('span', null, 'You are invited to ', el('strong', null, inv.conversationTitle)),
      el('div', { class: cls('row') }, accept, decline),
      status,
    );
  }

  private newRoomForm(): HTMLElement {
    const inputId = uniqueId('room-title');
    const input = el('input', {
      id: inputId,
      class: ui('input'),
      name: 'title',
      required: true,
      maxlength: 120,
      autocomplete: 'off',
    });
    const status = el('p', { role: 'status', class: cls('empty') });
    const form = el(
      'form',
      { class: cls('inlineForm'), id: 'new-room-form', 'aria-labelledby': `${inputId}-title` },
      el('h2', { id: `${inputId}-title`, class: cls('sideTitle') }, 'New room'),
      el('label', { class: ui('label'), for: inputId }, 'Room name'),
      input,
      el('div', null, button('Create room', { type: 'submit', small: true })),
      status,
    );
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      this.createRoom(input, status);
    });
    return el('section', { class: cls('sideCard') }, form);
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
    const { o: workspaceOptions, ctx, user } = this;
    const id = ctx.params.id;
    const conv = this.conversations.find((conversation) => conversation.conversationId === id);
    if (!id || !conv) {
      const lobby =
        this.conversations.find((conversation) => conversation.kind === 'lobby') ??
        this.conversations[0];
      if (lobby) return ctx.navigate(`${workspaceOptions.basePath}/${lobby.conversationId}`);
      this.paneSlot.replaceChildren(
        el(
          'section',
          { class: cls('placeholderPane') },
          el('h1', { class: ui('pageTitle') }, 'Chat'),
          el('p', null, 'You are not in any conversation yet.'),
        ),
      );
      return;
    }
    this.pane = conversationPane({
      api: workspaceOptions.api,
      socket: workspaceOptions.socket,
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
        const item = this.conversations.find((conversation) => conversation.conversationId === cid);
        if (item) {
          item.lastReadSeq = upTo;
          item.unreadCount = Math.max(0, item.lastSeq - upTo);
        }
      },
      onGone: (message) => {
        announce(message);
        void this.reload().then(() => ctx.navigate(workspaceOptions.basePath));
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
      socket.on('chat.message', (outboundFrame) => {
        const item = this.conversations.find(
          (conversation) => conversation.conversationId === outboundFrame.payload.conversationId,
        );
        if (!item) return reloadQuietly();
        item.lastSeq = Math.max(item.lastSeq, outboundFrame.payload.seq);
        if (
          outboundFrame.payload.conversationId !== params.id &&
          outboundFrame.payload.sender.id !== userId
        ) {
          item.unreadCount += 1;
          this.renderList();
        }
      }),
      socket.on('chat.invitation', (outboundFrame) => {
        if (outboundFrame.payload.inviteeId !== userId) return;
        this.invitations = [
          ...this.invitations.filter(
            (invitation) => invitation.invitationId !== outboundFrame.payload.invitationId,
          ),
          outboundFrame.payload,
        ];
        this.renderInvitations();
        if (outboundFrame.payload.status === 'pending')
          announce(`You are invited to ${outboundFrame.payload.conversationTitle}.`);
      }),
      socket.on('chat.membership', (outboundFrame) => {
        if (
          outboundFrame.payload.userId === userId &&
          outboundFrame.payload.conversationId !== params.id
        )
          reloadQuietly();
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
            const item = this.conversations.find(
              (conversation) => conversation.conversationId === gap.conversationId,
            );
            if (item) {
              item.unreadCount += page.items.filter(
                (match) => match.sender.id !== this.user.id,
              ).length;
              this.renderList();
            }
          }
          socket.setSeq(gap.conversationId, gap.to);
        },
        () => socket.setSeq(gap.conversationId, gap.to),
      );
  }
}
