import '../theme/globals.css';
import { initTheme } from '../lib/theme.js';
import { backend } from '../lib/config.js';
import { createHttpClient } from '../lib/http-client.js';
import { createSession } from '../lib/session.js';
import { el } from '../ui/dom.js';
import { ui } from '../ui/components.js';
import { pageHead, startApp } from '../ui/app-shell.js';
import { accountCard, loginView, passwordForm } from '../ui/account-forms.js';
import { enquiriesView, enquiryDetailView } from './enquiries.js';
import { usersView } from './users.js';
import { adminBillingApi } from '../lib/billing-api.js';
import { catalogueView } from './catalogue.js';
import { ledgerView } from './ledger.js';
import { adminChatApi } from './chat-api.js';
import { visitorInboxView } from './chat.js';
import { roomsView } from './chat-rooms.js';
import { deadLettersView } from './dead-letters.js';
import { liveSocket } from '../ui/chat/live-socket.js';

initTheme();
const http = createHttpClient(backend.apiBase);
const session = createSession(http, 'admin');
const socket = liveSocket('admin', session);
const chatApi = adminChatApi(http);
const billing = adminBillingApi(http);
const inbox = visitorInboxView(chatApi, http, socket);
const rooms = roomsView(chatApi, http, socket.chat, session);

startApp({
  tag: 'Admin',
  session,
  home: '/enquiries',
  nav: [
    ['/enquiries', 'Enquiries'],
    ['/chat', 'Visitors'],
    ['/rooms', 'Rooms'],
    ['/users', 'Users'],
    ['/catalogue', 'Catalogue'],
    ['/ledger', 'Ledger'],
    ['/dead-letters', 'Dead letters'],
    ['/account', 'Account'],
  ],
  routes: [
    {
      pattern: '/login',
      title: 'Sign in',
      public: true,
      render: loginView(
        session,
        'Staff sign in',
        'Balance Kitchen administration. Staff and admins only.',
      ),
    },
    { pattern: '/enquiries', title: 'Enquiries', render: enquiriesView(http) },
    { pattern: '/enquiries/:id', title: 'Enquiry', render: enquiryDetailView(http) },
    { pattern: '/users', title: 'Users', render: usersView(http, session) },
    { pattern: '/chat', title: 'Visitor chat', render: inbox },
    { pattern: '/chat/:id', title: 'Visitor chat', render: inbox },
    { pattern: '/rooms', title: 'Lobby & rooms', render: rooms },
    { pattern: '/rooms/:id', title: 'Lobby & rooms', render: rooms },
    { pattern: '/catalogue', title: 'Catalogue', render: catalogueView(billing) },
    { pattern: '/ledger', title: 'Ledger', render: ledgerView(billing) },
    { pattern: '/dead-letters', title: 'Dead letters', render: deadLettersView(http) },
    {
      pattern: '/account',
      title: 'Account',
      render: ({ main, user }) => {
        if (!user) return;
        main.append(
          pageHead('Account'),
          el('div', { class: ui('grid') }, accountCard(user), passwordForm(session)),
        );
      },
    },
  ],
});
