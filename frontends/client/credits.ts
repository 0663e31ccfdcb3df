import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { formatMoney } from '../lib/money.js';
import { ApiError } from '../lib/problem.js';
import { h, formatDateTime } from '../ui/dom.js';
import { badge, button, card, ui } from '../ui/components.js';

type CreditEntry = components['schemas']['CreditEntry'];
type CreditBalance = components['schemas']['CreditBalance'];

const KIND_TEXT: Record<CreditEntry['kind'], string> = {
  grant: 'Added',
  consume: 'Used',
  reverse: 'Reversed',
};

/** "+10" / "−2": the sign is always shown, with a real minus sign. */
export function formatDelta(delta: number): string {
  return delta > 0 ? `+${delta}` : delta < 0 ? `\u2212${Math.abs(delta)}` : '0';
}

/** The balance card; `set` updates it live from `credits.balance_changed`. */
export function creditBalanceCard(
  initial: CreditBalance | null,
  error?: string,
): { el: HTMLElement; set(balance: number, at: string): void } {
  const value = h(
    'p',
    { class: ui('bigNumber'), 'aria-live': 'polite', dataset: { creditBalance: '' } },
    initial ? String(initial.balance) : '—',
  );
  const note = h(
    'p',
    { class: ui('muted') },
    error ??
      (initial?.updatedAt
        ? `Updated ${formatDateTime(initial.updatedAt)}`
        : 'No credits yet. Buy a pack to get started.'),
  );
  const el = card(
    h('h2', { class: ui('cardTitle') }, 'Meal credits'),
    value,
    note,
    h('a', { href: '#/credits' }, 'Credit history'),
  );
  return {
    el,
    set(balance, at) {
      value.textContent = String(balance);
      note.textContent = `Updated ${formatDateTime(at)}`;
    },
  };
}

export async function loadBalance(
  http: HttpClient,
): Promise<{ balance: CreditBalance | null; error?: string }> {
  try {
    return { balance: await call(http.api.GET('/api/v1/client/credits')) };
  } catch (err) {
    return {
      balance: null,
      error:
        err instanceof ApiError && err.status < 500 && err.status !== 404
          ? `Your balance could not be loaded: ${err.userMessage}`
          : 'Your balance is not available right now. Please try again later.',
    };
  }
}

export function purchasesCard(items: components['schemas']['PackPurchase'][] | null): HTMLElement {
  if (!items)
    return card(
      h('h2', { class: ui('cardTitle') }, 'Purchases'),
      h('p', { class: ui('muted') }, 'Your purchases could not be loaded right now.'),
    );
  if (items.length === 0)
    return card(
      h('h2', { class: ui('cardTitle') }, 'Purchases'),
      h(
        'p',
        { class: ui('muted') },
        'No purchases yet. Packs you buy, with receipts, are listed here.',
      ),
    );
  return card(
    h('h2', { class: ui('cardTitle') }, 'Purchases'),
    h(
      'ul',
      { class: ui('plainList') },
      ...items
        .slice(0, 5)
        .map((p) =>
          h(
            'li',
            null,
            h('strong', null, p.packName),
            ` · ${p.meals} meals · ${formatMoney(p.priceMinor, p.currency)} `,
            badge(p.status),
            h('div', { class: ui('muted') }, formatDateTime(p.createdAt)),
          ),
        ),
    ),
  );
}

/** The credit history page: every grant, use and reversal, newest first, paged by cursor. */
export function creditsView(http: HttpClient) {
  return async ({ main }: { main: HTMLElement }): Promise<void> => {
    const { balance, error } = await loadBalance(http);
    const tbody = h('tbody');
    const result = h('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      h(
        'div',
        { class: ui('pageHead') },
        h('h1', { class: ui('pageTitle') }, 'Meal credits'),
        h('a', { href: '#/' }, '← Dashboard'),
      ),
      h('div', { class: ui('grid') }, withoutHistoryLink(creditBalanceCard(balance, error).el)),
      h('h2', { class: ui('sectionTitle') }, 'History'),
      result,
      h(
        'div',
        { class: ui('tableWrap') },
        h(
          'table',
          { class: ui('table') },
          h('caption', { class: ui('srOnly') }, 'Credit history, newest first'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, 'When'),
              h('th', { scope: 'col' }, 'What'),
              h('th', { scope: 'col' }, 'Change'),
              h('th', { scope: 'col' }, 'Balance after'),
              h('th', { scope: 'col' }, 'Note'),
            ),
          ),
          tbody,
        ),
      ),
      h('div', { class: ui('actions') }, more),
    );
    let cursor: string | null = null;
    let count = 0;
    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const page = await call(
          http.api.GET('/api/v1/client/credits/history', {
            params: { query: cursor ? { cursor, limit: 20 } : { limit: 20 } },
          }),
        );
        for (const e of page.items) {
          tbody.append(
            h(
              'tr',
              null,
              h('td', null, formatDateTime(e.createdAt)),
              h('td', null, KIND_TEXT[e.kind]),
              h('td', null, formatDelta(e.delta)),
              h('td', null, String(e.balanceAfter)),
              h('td', null, e.reason ?? e.sourceKind.replace(/_/g, ' ')),
            ),
          );
        }
        count += page.items.length;
        cursor = page.nextCursor;
        more.hidden = !cursor;
        result.textContent =
          count === 0
            ? 'No credit movements yet.'
            : `${count} movement${count === 1 ? '' : 's'} shown${cursor ? '; more available' : ''}.`;
      } catch (err) {
        result.textContent =
          err instanceof Error
            ? `The history could not be loaded: ${err.message}`
            : 'The history could not be loaded.';
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', () => void load());
    await load();
  };
}

/** On the history page itself the card's "Credit history" link would point at the page it is on. */
function withoutHistoryLink(el: HTMLElement): HTMLElement {
  el.querySelector('a[href="#/credits"]')?.remove();
  return el;
}
