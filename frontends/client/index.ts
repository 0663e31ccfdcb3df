import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { backend } from '../lib/config.js';
import { createHttpClient } from '../lib/http-client.js';
import { createSession } from '../lib/session.js';
import { h } from '../ui/dom.js';
import { card, placeholder, ui } from '../ui/components.js';
import { accountCard, loginView, pageHead, passwordForm, startApp } from '../ui/app-shell.js';

initTheme();
const http = createHttpClient(backend.apiBase);
const session = createSession(http, 'client');

startApp({
  tag: 'Client',
  session,
  home: '/',
  nav: [
    ['/', 'Dashboard'],
    ['/account', 'Account'],
  ],
  routes: [
    { pattern: '/login', title: 'Sign in', public: true, render: loginView(session, 'Welcome back', 'Sign in to your Balance Kitchen client account.') },
    {
      pattern: '/',
      title: 'Dashboard',
      render: ({ main, user }) => {
        if (!user) return;
        const first = user.displayName.split(/\s+/)[0] ?? user.displayName;
        main.append(
          pageHead(`Hello, ${first}`, h('a', { class: ui('button') + ' ' + ui('secondary'), href: '#/account' }, 'Account settings')),
          h('p', { class: ui('muted') }, 'This is your Balance Kitchen dashboard. Credits, subscriptions, purchases and chat will appear here as they open.'),
          h(
            'div',
            { class: ui('grid') },
            card(h('h2', { class: ui('cardTitle') }, 'Signed in as'), h('p', null, user.displayName), h('p', { class: ui('muted') }, user.email)),
            placeholder('Meal credits', 'Coming with billing', 'Your credit balance and its history will be shown here once online billing opens.'),
            placeholder('Subscription', 'Coming with billing', 'Your weekly plan, its next renewal and pause options will be managed here.'),
            placeholder('Purchases', 'Coming with billing', 'Packs you buy, with receipts, will be listed here.'),
            placeholder('Chat with your team', 'Coming with chat', 'Talk to your account manager and the kitchen team here. Until then, use the chat on our website.'),
          ),
        );
      },
    },
    {
      pattern: '/account',
      title: 'Account',
      render: ({ main, user }) => {
        if (!user) return;
        main.append(pageHead('Account'), h('div', { class: ui('grid') }, accountCard(user), passwordForm(session)));
      },
    },
  ],
});
