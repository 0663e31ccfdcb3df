import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { backend } from '../lib/config.js';
import { createHttpClient } from '../lib/http-client.js';
import { createSession } from '../lib/session.js';
import { h } from '../ui/dom.js';
import { placeholder, ui } from '../ui/components.js';
import { accountCard, loginView, pageHead, passwordForm, startApp, type AppRoute } from '../ui/app-shell.js';
import { enquiriesView, enquiryDetailView } from './enquiries.js';
import { usersView } from './users.js';

initTheme();
const http = createHttpClient(backend.apiBase);
const session = createSession(http, 'admin');

const comingSoon = (title: string, tag: string, text: string): AppRoute['render'] => ({ main }) => {
  main.append(pageHead(title), placeholder(title, tag, text));
};

startApp({
  tag: 'Admin',
  session,
  home: '/enquiries',
  nav: [
    ['/enquiries', 'Enquiries'],
    ['/chat', 'Visitor chat'],
    ['/users', 'Users'],
    ['/catalogue', 'Catalogue'],
    ['/ledger', 'Ledger'],
    ['/dead-letters', 'Dead letters'],
    ['/account', 'Account'],
  ],
  routes: [
    { pattern: '/login', title: 'Sign in', public: true, render: loginView(session, 'Staff sign in', 'Balance Kitchen administration. Staff and admins only.') },
    { pattern: '/enquiries', title: 'Enquiries', render: enquiriesView(http) },
    { pattern: '/enquiries/:id', title: 'Enquiry', render: enquiryDetailView(http) },
    { pattern: '/users', title: 'Users', render: usersView(http, session) },
    { pattern: '/chat', title: 'Visitor chat', render: comingSoon('Visitor chat inbox', 'Coming with chat', 'Live conversations from the website chat widget, and lobby and room moderation, will be handled here once the chat API is in the contract.') },
    { pattern: '/catalogue', title: 'Catalogue', render: comingSoon('Catalogue', 'Coming with billing', 'Meal packs and subscription plans, with their prices, will be managed here.') },
    { pattern: '/ledger', title: 'Ledger', render: comingSoon('Billing ledger', 'Coming with billing', 'Payments, refunds and credit movements will be listed here, read-only.') },
    { pattern: '/dead-letters', title: 'Dead letters', render: comingSoon('Dead letters', 'Coming with events', 'Events whose consumers failed repeatedly will be listed here for inspection and retry.') },
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
