import type { components } from '../../../generated/v1/types.js';
import { announce } from '../../lib/a11y/index.js';
import { ApiError } from '../../lib/problem.js';
import { KIND_LABEL, groupConversations, unreadLabel, type Conversation } from '../../lib/chat-state.js';
import { h, uniqueId } from '../dom.js';
import { button, ui } from '../components.js';
import type { RouteContext } from '../app-shell.js';
import type { ChatApi, ChatSocket } from './chat-api.js';
import { c } from './chat-classes.js';
import { conversationPane, type Pane } from './conversation-pane.js';

type Invitation = components['schemas']['Invitation'];

export interface WorkspaceOptions {
  api: ChatApi;
  socket: ChatSocket;
  /** Hash path of the chat page, e.g. "/chat" (conversations at "/chat/<id>"). */
  basePath: string;
  /** Extra sidebar cards (admin: sub-lobby tools). */
  sidebarExtras?(ctx: { reload(): Promise<void>; conversations(): Conversation[] }): HTMLElement[];
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.userMessage : err instanceof Error ? err.message : String(err);
}

/**
 * The chat page of an authenticated surface: conversations grouped lobby / sub-lobbies / rooms with
 * unread badges, pending invitations, a new-room form, and the open conversation.
 */
export function chatWorkspace(o: WorkspaceOptions) {
  return async (ctx: RouteContext): Promise<void> => {
    const { main, params, user, navigate, onLeave } = ctx;
    if (!user) return;
    const { api, socket } = o;
    let conversations: Conversation[] = [];
    let invitations: Invitation[] = [];
    let pane: Pane | null = null;
    const offs: Array<() => void> = [];

    const listNav = h('nav', { 'aria-label': 'Conversations' });
    const invitesBox = h('div');
    const sidebar = h('aside', { class: c('sidebar'), 'aria-label': 'Chat' });
    const paneSlot = h('div');
    main.append(h('div', { class: c('workspace') }, sidebar, paneSlot));

    function renderList(): void {
      const current = params.id ?? '';
      const groups = groupConversations(conversations);
      listNav.replaceChildren(
        h('h2', { class: c('sideTitle') }, 'Conversations'),
        ...(groups.length === 0 ? [h('p', { class: c('empty') }, 'No conversations yet.')] : []),
        ...groups.flatMap((g) => {
          const headId = uniqueId('group');
          return [
            h('h3', { id: headId, class: c('groupLabel') }, g.label),
            h(
              'ul',
              { class: c('convList'), 'aria-labelledby': headId },
              ...g.items.map((conv) => {
                const n = conv.conversationId === current ? 0 : conv.unreadCount;
                return h(
                  'li',
                  null,
                  h(
                    'a',
                    {
                      class: c('convLink'),
                      href: `#${o.basePath}/${encodeURIComponent(conv.conversationId)}`,
                      'aria-current': conv.conversationId === current ? 'page' : undefined,
                      'aria-label': n > 0 ? `${conv.title}, ${n} unread` : conv.title,
                      dataset: { conversationId: conv.conversationId },
                    },
                    h('span', { class: c('convTitle') }, conv.title),
                    h('span', { class: c('unread'), 'aria-hidden': 'true' }, unreadLabel(n)),
                  ),
                );
              }),
            ),
          ];
        }),
      );
    }

    function renderInvitations(): void {
      const pending = invitations.filter((i) => i.status === 'pending');
      if (pending.length === 0) {
        invitesBox.replaceChildren();
        return;
      }
      const titleId = uniqueId('invites');
      invitesBox.replaceChildren(
        h(
          'section',
          { class: c('sideCard'), 'aria-labelledby': titleId },
          h('h2', { id: titleId, class: c('sideTitle') }, `Invitations (${pending.length})`),
          h(
            'ul',
            { class: c('inviteList') },
            ...pending.map((inv) => {
              const status = h('p', { role: 'status', class: c('empty') });
              const accept = button('Accept', {
                small: true,
                onClick: () =>
                  void api.accept(inv.invitationId).then(
                    async (conv) => {
                      announce(`You joined ${conv.title}.`);
                      invitations = invitations.filter((x) => x.invitationId !== inv.invitationId);
                      await reload();
                      navigate(`${o.basePath}/${conv.conversationId}`);
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
                      invitations = invitations.filter((x) => x.invitationId !== inv.invitationId);
                      renderInvitations();
                      (sidebar.querySelector<HTMLElement>('a, button') ?? sidebar).focus();
                    },
                    (err: unknown) => (status.textContent = errorText(err)),
                  ),
              });
              return h('li', { class: c('inviteItem') }, h('span', null, 'You are invited to ', h('strong', null, inv.conversationTitle)), h('div', { class: c('row') }, accept, decline), status);
            }),
          ),
        ),
      );
    }

    function newRoomForm(): HTMLElement {
      const inputId = uniqueId('room-title');
      const input = h('input', { id: inputId, class: ui('input'), name: 'title', required: true, maxlength: 120, autocomplete: 'off' });
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
        const title = input.value.trim();
        if (!title) {
          status.textContent = 'Please name the room.';
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          return;
        }
        input.removeAttribute('aria-invalid');
        void api.createRoom(title).then(
          async (conv) => {
            input.value = '';
            announce(`Room ${conv.title} created. You are its owner.`);
            await reload();
            navigate(`${o.basePath}/${conv.conversationId}`);
          },
          (err: unknown) => {
            status.textContent = errorText(err);
            input.focus();
          },
        );
      });
      return h('section', { class: c('sideCard') }, form);
    }

    async function reload(): Promise<void> {
      const [list, invs] = await Promise.all([api.listConversations(), api.listInvitations().catch(() => invitations)]);
      conversations = list;
      invitations = invs;
      // Resume covers every conversation from what the list says we hold.
      for (const conv of conversations) if (conv.conversationId !== params.id) socket.setSeq(conv.conversationId, conv.lastSeq);
      renderList();
      renderInvitations();
    }

    function openPane(): void {
      const id = params.id;
      const conv = conversations.find((x) => x.conversationId === id);
      if (!id || !conv) {
        const lobby = conversations.find((x) => x.kind === 'lobby') ?? conversations[0];
        if (lobby) {
          navigate(`${o.basePath}/${lobby.conversationId}`);
          return;
        }
        paneSlot.replaceChildren(h('section', { class: c('placeholderPane') }, h('h1', { class: ui('pageTitle') }, 'Chat'), h('p', null, 'You are not in any conversation yet.')));
        return;
      }
      pane = conversationPane({
        api,
        socket,
        me: { id: user!.id, displayName: user!.displayName },
        conversation: { conversationId: conv.conversationId, kind: conv.kind, title: conv.title, myRole: conv.myRole, lastReadSeq: conv.lastReadSeq },
        kindLabel: conv.kind === 'sub_lobby' ? 'Sub-lobby' : KIND_LABEL[conv.kind].replace(/s$/, ''),
        onRead: (cid, upTo) => {
          const x = conversations.find((y) => y.conversationId === cid);
          if (x) {
            x.lastReadSeq = upTo;
            x.unreadCount = Math.max(0, x.lastSeq - upTo);
          }
        },
        onGone: (message) => {
          announce(message);
          void reload().then(() => navigate(o.basePath));
        },
      });
      paneSlot.replaceChildren(pane.el);
    }

    // Live frames for the conversations that are not open: badges, invitations, membership.
    offs.push(
      socket.on('chat.message', (f) => {
        const x = conversations.find((y) => y.conversationId === f.payload.conversationId);
        if (!x) return void reload().catch(() => undefined);
        x.lastSeq = Math.max(x.lastSeq, f.payload.seq);
        if (f.payload.conversationId !== params.id && f.payload.sender.id !== user.id) {
          x.unreadCount += 1;
          renderList();
        }
      }),
      socket.on('chat.invitation', (f) => {
        if (f.payload.inviteeId !== user.id) return;
        invitations = [...invitations.filter((i) => i.invitationId !== f.payload.invitationId), f.payload];
        renderInvitations();
        if (f.payload.status === 'pending') announce(`You are invited to ${f.payload.conversationTitle}.`);
      }),
      socket.on('chat.membership', (f) => {
        if (f.payload.userId === user.id && f.payload.conversationId !== params.id) void reload().catch(() => undefined);
      }),
      socket.on('chat.caught_up', () => renderList()),
      socket.onGap((gap) => {
        // Fill the hole over HTTP; the socket then delivers what it buffered behind it.
        void api.listMessages(gap.conversationId, { afterSeq: gap.from - 1, limit: Math.min(100, gap.to - gap.from + 1) }).then(
          (page) => {
            if (gap.conversationId !== params.id) {
              const x = conversations.find((y) => y.conversationId === gap.conversationId);
              if (x) (x.unreadCount += page.items.filter((m) => m.sender.id !== user.id).length, renderList());
            }
            socket.setSeq(gap.conversationId, gap.to);
          },
          () => socket.setSeq(gap.conversationId, gap.to),
        );
      }),
    );
    onLeave(() => {
      for (const off of offs) off();
      pane?.destroy();
    });

    sidebar.append(h('section', { class: c('sideCard') }, listNav), invitesBox, newRoomForm());
    try {
      await reload();
      sidebar.append(...(o.sidebarExtras?.({ reload, conversations: () => conversations }) ?? []));
    } catch (err) {
      paneSlot.replaceChildren(h('section', { class: c('placeholderPane') }, h('h1', { class: ui('pageTitle') }, 'Chat'), h('p', { role: 'alert' }, `Chat could not be loaded: ${errorText(err)}`)));
      return;
    }
    openPane();
  };
}
