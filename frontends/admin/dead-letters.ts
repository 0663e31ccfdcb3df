import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { announce } from '../lib/a11y/index.js';
import { ApiError } from '../lib/problem.js';
import { el, formatDateTime } from '../ui/dom.js';
import { badge, button, ui } from '../ui/components.js';
import type { RouteContext } from '../ui/app-shell.js';
import { errorText } from './error-text.js';

type DeadLetter = components['schemas']['DeadLetter'];

function deadLetterRow(http: HttpClient, data: DeadLetter): HTMLTableRowElement {
  const statusCell = el('td');
  renderReplayStatus(http, statusCell, data);
  return el(
    'tr',
    null,
    el('td', null, formatDateTime(data.failedAt)),
    el('td', null, el('code', { class: ui('mono') }, data.eventType)),
    el('td', null, data.consumer),
    el('td', null, String(data.attempts)),
    el(
      'td',
      null,
      el(
        'span',
        { class: ui('mono') },
        data.lastError.length > 160 ? `${data.lastError.slice(0, 160)}…` : data.lastError,
      ),
    ),
    statusCell,
  );
}

function renderReplayStatus(http: HttpClient, statusCell: HTMLElement, item: DeadLetter): void {
  if (item.replayedAt) {
    statusCell.replaceChildren(
      badge('replayed'),
      el('div', { class: ui('muted') }, formatDateTime(item.replayedAt)),
    );
    return;
  }
  const replay = button('Replay…', { small: true, variant: 'secondary' });
  replay.setAttribute('aria-label', `Replay ${item.eventType} to ${item.consumer}`);
  replay.addEventListener('click', () => confirmReplay(http, statusCell, item));
  statusCell.replaceChildren(badge('failed'), ' ', replay);
}

function confirmReplay(http: HttpClient, statusCell: HTMLElement, item: DeadLetter): void {
  const yes = button('Replay now', { small: true });
  const no = button('Cancel', { small: true, variant: 'ghost' });
  const msg = el('p', { role: 'status' });
  const confirm = el(
    'div',
    { class: ui('stack'), role: 'group', 'aria-label': 'Confirm replay' },
    el('span', null, `Send ${item.eventType} to ${item.consumer} again?`),
    el('div', { class: ui('actions') }, yes, no),
    msg,
  );
  const back = (): void => {
    renderReplayStatus(http, statusCell, item);
    statusCell.querySelector('button')?.focus();
  };
  no.addEventListener('click', back);
  confirm.addEventListener('keydown', (keyboardEvent) => {
    if (keyboardEvent.key === 'Escape') back();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    void call(
      http.api.POST('/api/v1/admin/events/dead-letters/{deadLetterId}/replay', {
        params: { path: { deadLetterId: item.id } },
      }),
    ).then(
      (updated) => {
        renderReplayStatus(http, statusCell, updated);
        announce(`${item.eventType} replayed to ${item.consumer}.`);
        statusCell.setAttribute('tabindex', '-1');
        statusCell.focus();
      },
      (err: unknown) => {
        yes.disabled = false;
        msg.textContent =
          err instanceof ApiError && err.code === 'EVENTS.ALREADY_REPLAYED'
            ? 'This dead letter was already replayed.'
            : errorText(err);
      },
    );
  });
  statusCell.replaceChildren(confirm);
  yes.focus();
}

/** Dead letters: events a consumer gave up on, newest first, each replayable once after a confirm. */
export function deadLettersView(http: HttpClient) {
  return async ({ main }: RouteContext): Promise<void> => {
    const tbody = el('tbody');
    const result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      el('div', { class: ui('pageHead') }, el('h1', { class: ui('pageTitle') }, 'Dead letters')),
      el(
        'p',
        { class: ui('muted') },
        'Events whose consumer failed after every retry. Replaying hands the event to that consumer once more; its idempotency keeps it from applying twice.',
      ),
      result,
      el(
        'div',
        { class: ui('tableWrap') },
        el(
          'table',
          { class: ui('table') },
          el('caption', { class: ui('srOnly') }, 'Dead letters, newest first'),
          el(
            'thead',
            null,
            el(
              'tr',
              null,
              ...['Failed', 'Event', 'Consumer', 'Attempts', 'Last error', 'Status'].map((text) =>
                el('th', { scope: 'col' }, text),
              ),
            ),
          ),
          tbody,
        ),
      ),
      el('div', { class: ui('actions') }, more),
    );

    let cursor: string | null = null;
    let count = 0;
    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const page = await call(
          http.api.GET('/api/v1/admin/events/dead-letters', {
            params: { query: cursor ? { cursor, limit: 25 } : { limit: 25 } },
          }),
        );
        for (const item of page.items) tbody.append(deadLetterRow(http, item));
        count += page.items.length;
        cursor = page.nextCursor;
        more.hidden = !cursor;
        result.textContent =
          count === 0
            ? 'No dead letters. Every consumer is keeping up.'
            : `${count} dead letter${count === 1 ? '' : 's'} shown${cursor ? '; more available' : ''}.`;
      } catch (err) {
        result.textContent = `Dead letters could not be loaded: ${errorText(err)}`;
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', () => void load());
    await load();
  };
}
