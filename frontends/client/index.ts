import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { backend } from '../lib/config.js';
import { call, createHttpClient } from '../lib/http-client.js';
import { createSession } from '../lib/session.js';
import { h } from '../ui/dom.js';
import { card, placeholder, ui, uis } from '../ui/components.js';
import { accountCard, loginView, pageHead, passwordForm, startApp } from '../ui/app-shell.js';
import { chatWorkspace } from '../ui/chat/chat-workspace.js';
import { liveSocket } from '../ui/chat/live-socket.js';
import { clientChatApi } from './chat-api.js';
import { creditBalanceCard, creditsView, loadBalance, purchasesCard } from './credits.js';

initTheme();
const http = createHttpClient(backend.apiBase);
const session = createSession(http, 'client');
const socket = liveSocket('client', session);
const chat = chatWorkspace({ api: clientChatApi(http), socket: socket.chat, basePath: '/chat' });

startApp({
  tag: 'Client',
  session,
  home: '/',
  nav: [
    ['/', 'Dashboard'],
    ['/chat', 'Chat'],
    ['/credits', 'Credits'],
    ['/account', 'Account'],
  ],
  routes: [
    { pattern: '/login', title: 'Sign in', public: true, render: loginView(session, 'Welcome back', 'Sign in to your Balance Kitchen client account.') },
    {
      pattern: '/',
      title: 'Dashboard',
      render: async ({ main, user, onLeave }) => {
        if (!user) return;
        const first = user.displayName.split(/\s+/)[0] ?? user.displayName;
        const [{ balance, error }, purchases, conversations] = await Promise.all([
          loadBalance(http),
          call(http.api.GET('/api/v1/client/packs/purchases')).then((p) => p.items, () => null),
          clientChatApi(http).listConversations().catch(() => null),
        ]);
        const credits = creditBalanceCard(balance, error);
        onLeave(socket.get().on('credits.balance_changed', (f) => credits.set(f.payload.balance, f.payload.at)));
        const unread = conversations?.reduce((n, c) => n + c.unreadCount, 0) ?? 0;
        main.append(
          pageHead(`Hello, ${first}`, h('a', { class: uis('button', 'secondary'), href: '#/account' }, 'Account settings')),
          h(
            'div',
            { class: ui('grid') },
            credits.el,
            purchasesCard(purchases),
            placeholder('Subscription', 'Coming soon', 'Your weekly plan, its next renewal and pause options will be managed here.'),
            card(
              h('h2', { class: ui('cardTitle') }, 'Chat with your team'),
              h('p', { class: ui('muted') }, conversations === null ? 'Chat is not available right now.' : unread > 0 ? `You have ${unread} unread message${unread === 1 ? '' : 's'}.` : 'Talk to your account manager, the kitchen team and other clients.'),
              h('a', { class: uis('button', 'small'), href: '#/chat' }, 'Open chat'),
            ),
          ),
        );
      },
    },
    { pattern: '/chat', title: 'Chat', render: chat },
    { pattern: '/chat/:id', title: 'Chat', render: chat },
    { pattern: '/credits', title: 'Credits', render: creditsView(http) },
    {
      pattern: '/account',
      title: 'Account',
      render: ({ main, user }) => {
        if (!user) return;
        main.append(
          pageHead('Account'),
          h(
            'div',
            { class: ui('grid') },
            accountCard(user),
            card(h('h2', { class: ui('cardTitle') }, 'Your user id'), h('p', { class: ui('muted') }, 'Give this to a room owner who wants to invite you to a chat room.'), h('p', null, h('code', { class: ui('mono'), dataset: { userId: '' } }, user.id))),
            passwordForm(session),
          ),
        );
      },
    },
  ],
});
