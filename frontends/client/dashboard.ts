import type { HttpClient } from '../lib/http-client.js';
import type { ClientBillingApi, Plan } from '../lib/billing-api.js';
import type { ChatApi } from '../ui/chat/chat-api.js';
import type { LiveSocket } from '../ui/chat/live-socket.js';
import { mustClass } from '../lib/css-modules.js';
import { el } from '../ui/dom.js';
import { card, ui, uis } from '../ui/components.js';
import { pageHead, type RouteContext } from '../ui/app-shell.js';
import { creditBalanceCard, loadBalance, purchasesCard } from './credits.js';
import { subscriptionCard } from './billing.js';
import { awaitingPayment } from '../lib/billing-logic.js';
import styles from './billing.module.css';

export type Arrival = 'paid' | 'cancelled' | null;

/** Coming back from checkout: paid (credits follow) or cancelled (nothing charged); hidden otherwise. */
function arrivalNotice(arrival: Arrival): HTMLElement {
  const notice = el('p', {
    class: uis(arrival === 'cancelled' ? 'notice' : 'success'),
    role: 'status',
    'aria-live': 'polite',
    dataset: { billingNotice: '' },
  });
  notice.classList.add(mustClass(styles, 'banner'));
  notice.hidden = arrival === null;
  if (arrival === 'paid')
    notice.textContent =
      'Thank you, your payment went through. Your meal credits appear here as soon as it is confirmed.';
  if (arrival === 'cancelled')
    notice.textContent =
      'Checkout cancelled: nothing was charged. You can buy meals whenever you are ready.';
  return notice;
}

function chatCard(conversations: Array<{ unreadCount: number }> | null): HTMLElement {
  const unread =
    conversations?.reduce((acc, conversation) => acc + conversation.unreadCount, 0) ?? 0;
  return card(
    el('h2', { class: ui('cardTitle') }, 'Chat with your team'),
    el(
      'p',
      { class: ui('muted') },
      conversations === null
        ? 'Chat is not available right now.'
        : unread > 0
          ? `You have ${unread} unread message${unread === 1 ? '' : 's'}.`
          : 'Talk to your account manager, the kitchen team and other clients.',
    ),
    el('a', { class: uis('button', 'small'), href: '#/chat' }, 'Open chat'),
  );
}

/** The credit card's actions: buy meals, and the history link moved next to it. */
function appendCardLinks(creditsEl: HTMLElement): void {
  const links = el(
    'div',
    { class: mustClass(styles, 'cardLinks') },
    el('a', { class: uis('button', 'small'), href: '#/buy' }, 'Buy meals'),
  );
  const history = creditsEl.querySelector('a[href="#/credits"]');
  if (history) links.append(history);
  creditsEl.append(links);
}

/** Refreshes until nothing is pending (or a minute passes), then settles or says it is still waiting. */
function startPolling(
  refresh: () => Promise<boolean>,
  settled: (pending: boolean) => void,
  notice: HTMLElement,
  stopped: () => boolean,
): void {
  const started = Date.now();
  const poll = async (): Promise<void> => {
    if (stopped()) return;
    const pending = await refresh().catch(() => true);
    if (stopped()) return;
    if (!pending) return settled(false);
    if (Date.now() - started < 60_000) setTimeout(() => void poll(), 1500);
    else
      notice.textContent =
        'Your payment is still being confirmed. This page updates when it is; you can also refresh later.';
  };
  setTimeout(() => void poll(), 800);
}

/**
 * The client's dashboard. Coming back from checkout (`arrival = 'paid'`) it says so, and because
 * the credits arrive asynchronously (webhook → outbox → relay) it refreshes until nothing is pending,
 * on top of the live `credits.balance_changed` push.
 */
export function dashboardView(
  deps: {
    http: HttpClient;
    billing: ClientBillingApi;
    socket: LiveSocket<'client'>;
    chat: Pick<ChatApi, 'listConversations'>;
  },
  arrival: Arrival = null,
) {
  return async ({ main, user, onLeave }: RouteContext): Promise<void> => {
    if (!user) return;
    const { http, billing, socket } = deps;
    const first = user.displayName.split(/\s+/)[0] ?? user.displayName;
    const fetchPurchases = () => billing.purchases().catch(() => null);
    const fetchSubs = () => billing.subscriptions().catch(() => null);
    const fetchPlans = () =>
      billing.catalogue().then(
        (item) => item.plans,
        () => [] as Plan[],
      );
    const [{ balance, error }, purchases, subs, plans, conversations] = await Promise.all([
      loadBalance(http),
      fetchPurchases(),
      fetchSubs(),
      fetchPlans(),
      deps.chat.listConversations().catch(() => null),
    ]);
    const credits = creditBalanceCard(balance, error);
    appendCardLinks(credits.el);
    const purchasesSlot = el('div', { class: ui('stack') }, purchasesCard(purchases));
    const subSlot = el('div', { class: ui('stack') }, subscriptionCard(billing, subs, plans));
    const notice = arrivalNotice(arrival);

    let stopped = false;
    const refresh = async (): Promise<boolean> => {
      const [now, value, text] = await Promise.all([
        loadBalance(http),
        fetchPurchases(),
        fetchSubs(),
      ]);
      if (stopped) return false;
      if (now.balance)
        credits.set(now.balance.balance, now.balance.updatedAt ?? new Date().toISOString());
      purchasesSlot.replaceChildren(purchasesCard(value));
      // Keep an open confirmation (focus, typed reason) untouched; only redraw when nothing is being confirmed.
      if (!subSlot.querySelector('[role=group]'))
        subSlot.replaceChildren(subscriptionCard(billing, text, plans));
      return awaitingPayment(value, text);
    };
    onLeave(() => {
      stopped = true;
    });
    const settled = (pending: boolean): void => {
      if (!pending && arrival === 'paid')
        notice.textContent = 'Your payment is confirmed and your meal credits are in your balance.';
    };
    let pushTimer: ReturnType<typeof setTimeout> | undefined;
    onLeave(
      socket.get().on('credits.balance_changed', (outboundFrame) => {
        credits.set(outboundFrame.payload.balance, outboundFrame.payload.at);
        clearTimeout(pushTimer);
        pushTimer = setTimeout(() => void refresh().then(settled, () => undefined), 300);
      }),
    );
    onLeave(() => clearTimeout(pushTimer));
    if (arrival === 'paid' || awaitingPayment(purchases, subs)) {
      // The push covers the usual case; polling covers a socket that is not (yet) connected.
      startPolling(refresh, settled, notice, () => stopped);
    }

    main.append(
      pageHead(
        `Hello, ${first}`,
        el('a', { class: uis('button', 'secondary'), href: '#/account' }, 'Account settings'),
      ),
      notice,
      el('div', { class: ui('grid') }, credits.el, purchasesSlot, subSlot, chatCard(conversations)),
    );
  };
}
