import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { backend } from '../lib/config.js';
import { createHttpClient } from '../lib/http-client.js';
import { createSession } from '../lib/session.js';
import { el } from '../ui/dom.js';
import { card, ui } from '../ui/components.js';
import { pageHead, startApp } from '../ui/app-shell.js';
import { accountCard, loginView, passwordForm } from '../ui/account-forms.js';
import { chatWorkspace } from '../ui/chat/chat-workspace.js';
import { liveSocket } from '../ui/chat/live-socket.js';
import { clientChatApi } from './chat-api.js';
import { creditsView } from './credits.js';
import { clientBillingApi } from '../lib/billing-api.js';
import { buyMealsView } from './buy-meals.js';
import { dashboardView } from './dashboard.js';

initTheme();
const http = createHttpClient(backend.apiBase);
const session = createSession(http, 'client');
const socket = liveSocket('client', session);
const billing = clientBillingApi(http);
const dashboardDeps = { http, billing, socket, chat: clientChatApi(http) };
const chat = chatWorkspace({ api: clientChatApi(http), socket: socket.chat, basePath: '/chat' });

startApp({
  tag: 'Client',
  session,
  home: '/',
  nav: [
    ['/', 'Dashboard'],
    ['/buy', 'Buy meals'],
    ['/chat', 'Chat'],
    ['/credits', 'Credits'],
    ['/account', 'Account'],
  ],
  routes: [
    {
      pattern: '/login',
      title: 'Sign in',
      public: true,
      render: loginView(session, 'Welcome back', 'Sign in to your Balance Kitchen client account.'),
    },
    { pattern: '/', title: 'Dashboard', render: dashboardView(dashboardDeps) },
    { pattern: '/buy', title: 'Buy meals', render: buyMealsView(billing) },
    {
      pattern: '/billing/success',
      title: 'Payment received',
      render: dashboardView(dashboardDeps, 'paid'),
    },
    {
      pattern: '/billing/cancelled',
      title: 'Checkout cancelled',
      render: dashboardView(dashboardDeps, 'cancelled'),
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
          el(
            'div',
            { class: ui('grid') },
            accountCard(user),
            card(
              el('h2', { class: ui('cardTitle') }, 'Your user id'),
              el(
                'p',
                { class: ui('muted') },
                'Give this to a room owner who wants to invite you to a chat room.',
              ),
              el('p', null, el('code', { class: ui('mono'), dataset: { userId: '' } }, user.id)),
            ),
            passwordForm(session),
          ),
        );
      },
    },
  ],
});
