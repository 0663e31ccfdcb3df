import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { formatMoney } from '../lib/money.js';
import { ApiError } from '../lib/problem.js';
import { el, formatDateTime } from '../ui/dom.js';
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
  const value = el(
    'p',
    { class: ui('bigNumber'), 'aria-live': 'polite', dataset: { creditBalance: '' } },
    initial ? String(initial.balance) : '—',
  );
  const note = el(
    'p',
    { class: ui('muted') },
    error ??
      (initial?.updatedAt
        ? `Updated ${formatDateTime(initial.updatedAt)}`
        : 'No credits yet. Buy a pack to get started.'),
  );
  const panel = card(
    el('h2', { class: ui('cardTitle') }, 'Meal credits'),
    value,
    note,
    el('a', { href: '#/credits' }, 'Credit history'),
  );
  return {
    el: panel,
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
      el('h2', { class: ui('cardTitle') }, 'Purchases'),
      el('p', { class: ui('muted') }, 'Your purchases could not be loaded right now.'),
    );
  if (items.length === 0)
    return card(
      el('h2', { class: ui('cardTitle') }, 'Purchases'),
      el(
        'p',
        { class: ui('muted') },
        'No purchases yet. Packs you buy, with receipts, are listed here.',
      ),
    );
  return card(
    el('h2', { class: ui('cardTitle') }, 'Purchases'),
    el(
      'ul',
      { class: ui('plainList') },
      ...items
        .slice(0, 5)
        .map((item) =>
          el(
            'li',
            null,
            el('strong', null, item.packName),
            ` · ${item.meals} meals · ${formatMoney(item.priceMinor, item.currency)} `,
            badge(item.status),
            el('div', { class: ui('muted') }, formatDateTime(item.createdAt)),
          ),
        ),
    ),
  );
}

function historyTable(tbody: HTMLTableSectionElement): HTMLElement {
  return el(
    'div',
    { class: ui('tableWrap') },
    el(
      'table',
      { class: ui('table') },
      el('caption', { class: ui('srOnly') }, 'Credit history, newest first'),
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col' }, 'When'),
          el('th', { scope: 'col' }, 'What'),
          el('th', { scope: 'col' }, 'Change'),
          el('th', { scope: 'col' }, 'Balance after'),
          el('th', { scope: 'col' }, 'Note'),
        ),
      ),
      tbody,
    ),
  );
}

/** The credit history page: every grant, use and reversal, newest first, paged by cursor. */
export function creditsView(http: HttpClient) {
  return async ({ main }: { main: HTMLElement }): Promise<void> => {
    const { balance, error } = await loadBalance(http);
    const tbody = el('tbody');
    const result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      el(
        'div',
        { class: ui('pageHead') },
        el('h1', { class: ui('pageTitle') }, 'Meal credits'),
        el('a', { href: '#/' }, '← Dashboard'),
      ),
      el('div', { class: ui('grid') }, withoutHistoryLink(creditBalanceCard(balance, error).el)),
      el('h2', { class: ui('sectionTitle') }, 'History'),
      result,
      historyTable(tbody),
      el('div', { class: ui('actions') }, more),
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
        for (const item of page.items) {
          tbody.append(
            el(
              'tr',
              null,
              el('td', null, formatDateTime(item.createdAt)),
              el('td', null, KIND_TEXT[item.kind]),
              el('td', null, formatDelta(item.delta)),
              el('td', null, String(item.balanceAfter)),
              el('td', null, item.reason ?? item.sourceKind.replace(/_/g, ' ')),
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
