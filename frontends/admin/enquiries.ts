import type { components, operations } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import {
  clearFormErrors,
  renderFormErrors,
  showFieldError,
  showFormMessage,
} from '../lib/form-errors.js';
import { el, formatDateTime } from '../ui/dom.js';
import {
  badge,
  button,
  card,
  field,
  formStatus,
  successRegion,
  ui,
  uis,
} from '../ui/components.js';
import { errorPanel, pageHead, type RouteContext } from '../ui/app-shell.js';

type Enquiry = components['schemas']['Enquiry'];
type EnquiryStatus = components['schemas']['EnquiryStatus'];
type Target = components['schemas']['AdvanceEnquiryStatusRequest']['to'];

const STATUSES: EnquiryStatus[] = ['received', 'contacted', 'converted', 'closed'];
/** The contract's state machine: received → contacted → converted; received/contacted → closed. */
export const NEXT: Record<EnquiryStatus, Target[]> = {
  received: ['contacted', 'closed'],
  contacted: ['converted', 'closed'],
  converted: [],
  closed: [],
};
const PAGE_SIZE = 20;

/** A yyyy-mm-dd date input as the start (or end) of that day in local time, as an RFC 3339 instant. */
export function dayBoundary(value: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const data = new Date(`${value}T00:00:00`);
  if (end) data.setDate(data.getDate() + 1);
  return data.toISOString();
}

function filterForm(status: string, from: string, to: string): HTMLFormElement {
  return el(
    'form',
    { class: ui('filters'), role: 'search', 'aria-label': 'Filter enquiries' },
    field({
      label: 'Status',
      name: 'status',
      value: status,
      options: [
        { value: '', label: 'Any status' },
        ...STATUSES.map((text) => ({
          value: text,
          label: text[0]!.toUpperCase() + text.slice(1),
        })),
      ],
    }),
    field({ label: 'From', name: 'from', type: 'date', value: from }),
    field({ label: 'To', name: 'to', type: 'date', value: to }),
    el(
      'div',
      { class: ui('actions') },
      button('Apply filters', { type: 'submit', small: true }),
      el('a', { class: uis('button', 'ghost', 'small'), href: '#/enquiries' }, 'Reset'),
    ),
  );
}

function enquiryTable(tbody: HTMLTableSectionElement): HTMLElement {
  return el(
    'div',
    { class: ui('tableWrap') },
    el(
      'table',
      { class: ui('table') },
      el('caption', { class: ui('srOnly') }, 'Enquiries, newest first'),
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col' }, 'Received'),
          el('th', { scope: 'col' }, 'Name'),
          el('th', { scope: 'col' }, 'Email'),
          el('th', { scope: 'col' }, 'Status'),
          el('th', { scope: 'col' }, 'Message'),
        ),
      ),
      tbody,
    ),
  );
}

type EnquiryQuery = NonNullable<operations['listEnquiries']['parameters']['query']>;

function enquiryQuery(
  status: string,
  from: string,
  to: string,
  cursor: string | null,
): EnquiryQuery {
  const queryItem: EnquiryQuery = { limit: PAGE_SIZE };
  if (STATUSES.includes(status as EnquiryStatus)) queryItem.status = status as EnquiryStatus;
  const fromIso = dayBoundary(from, false);
  const toIso = dayBoundary(to, true);
  if (fromIso) queryItem.from = fromIso;
  if (toIso) queryItem.to = toIso;
  if (cursor) queryItem.cursor = cursor;
  return queryItem;
}

export function enquiriesView(http: HttpClient) {
  return async ({ main, query, navigate }: RouteContext): Promise<void> => {
    const status = query.get('status') ?? '';
    const from = query.get('from') ?? '';
    const to = query.get('to') ?? '';
    const filters = filterForm(status, from, to);
    filters.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      const data = new FormData(filters);
      const qs = new URLSearchParams();
      for (const key of ['status', 'from', 'to']) {
        const value = String(data.get(key) ?? '');
        if (value) qs.set(key, value);
      }
      navigate(`/enquiries${qs.size ? `?${qs}` : ''}`);
    });

    const tbody = el('tbody');
    const result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      pageHead('Enquiries'),
      filters,
      result,
      enquiryTable(tbody),
      el('div', { class: ui('actions') }, more),
    );

    let cursor: string | null = null;
    let count = 0;
    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const queryItem = enquiryQuery(status, from, to, cursor);
        const page = await call(
          http.api.GET('/api/v1/admin/enquiries', { params: { query: queryItem } }),
        );
        for (const item of page.items) tbody.append(row(item));
        count += page.items.length;
        cursor = page.nextCursor;
        more.hidden = !cursor;
        result.textContent =
          count === 0
            ? 'No enquiries match these filters.'
            : `${count} enquir${count === 1 ? 'y' : 'ies'} shown${cursor ? '; more available' : ''}.`;
      } catch (err) {
        result.textContent = '';
        main.append(errorPanel(err));
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', () => void load());
    await load();
  };
}

function row(entry: Enquiry): HTMLTableRowElement {
  return el(
    'tr',
    null,
    el('td', null, formatDateTime(entry.createdAt)),
    el('td', null, el('a', { href: `#/enquiries/${encodeURIComponent(entry.id)}` }, entry.name)),
    el('td', null, entry.email),
    el('td', null, badge(entry.status)),
    el('td', null, entry.message.length > 80 ? `${entry.message.slice(0, 80)}…` : entry.message),
  );
}

type AuditEntry = components['schemas']['EnquiryAuditEntry'];

function detailsCard(entry: Enquiry): HTMLElement {
  return card(
    el('h2', { class: ui('cardTitle') }, 'Details'),
    el(
      'dl',
      { class: ui('dl') },
      el('dt', null, 'Status'),
      el('dd', null, badge(entry.status)),
      el('dt', null, 'Email'),
      el('dd', null, el('a', { href: `mailto:${entry.email}` }, entry.email)),
      el('dt', null, 'Phone'),
      el('dd', null, entry.phone ?? '—'),
      el('dt', null, 'Prefers'),
      el('dd', null, entry.preferredContact ?? 'no preference'),
      el('dt', null, 'Received'),
      el('dd', null, formatDateTime(entry.createdAt)),
      el('dt', null, 'Updated'),
      el('dd', null, formatDateTime(entry.updatedAt)),
    ),
    el('h3', { class: ui('cardTitle') }, 'Message'),
    el('p', { style: 'white-space: pre-wrap' }, entry.message),
  );
}

function trailItems(items: AuditEntry[]): HTMLLIElement[] {
  return items.map((item) =>
    el(
      'li',
      null,
      el('strong', null, item.from ? `${item.from} → ${item.to}` : `Submitted (${item.to})`),
      el(
        'div',
        { class: ui('muted') },
        `${formatDateTime(item.at)} · ${item.actorEmail ?? 'the visitor'}`,
      ),
      item.reason ? el('p', null, item.reason) : null,
    ),
  );
}

type Changed = (updated: Enquiry, audit: AuditEntry[]) => void;

/** The status form for the moves the state machine allows, or a note that the status is final. */
function statusCard(http: HttpClient, id: string, entry: Enquiry, changed: Changed): HTMLElement {
  const options = NEXT[entry.status];
  if (options.length === 0) {
    return card(
      el('h2', { class: ui('cardTitle') }, 'Change status'),
      el('p', { class: ui('muted') }, `This enquiry is ${entry.status}; that is final.`),
    );
  }
  const form = el(
    'form',
    { id: 'status-form', class: ui('form'), novalidate: true, 'aria-labelledby': 'status-title' },
    formStatus(),
    field({
      label: 'New status',
      name: 'to',
      required: true,
      options: options.map((option) => ({
        value: option,
        label: option[0]!.toUpperCase() + option.slice(1),
      })),
    }),
    field({
      label: 'Reason',
      name: 'reason',
      required: true,
      multiline: true,
      maxlength: 1000,
      hint: 'Kept in the audit trail. Say what happened, e.g. “Called and booked a tasting.”',
    }),
    el('div', { class: ui('actions') }, button('Change status', { type: 'submit' })),
    successRegion(),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void changeStatus(http, id, form, changed);
  });
  return card(el('h2', { id: 'status-title', class: ui('cardTitle') }, 'Change status'), form);
}

async function changeStatus(
  http: HttpClient,
  id: string,
  form: HTMLFormElement,
  changed: Changed,
): Promise<void> {
  clearFormErrors(form);
  const data = new FormData(form);
  const to = String(data.get('to')) as Target;
  const reason = String(data.get('reason') ?? '').trim();
  if (!reason) {
    showFieldError(
      form,
      form.elements.namedItem('reason') as HTMLElement,
      'reason',
      'A reason is required for the audit trail.',
    );
    showFormMessage(form, 'Please give a reason.');
    (form.elements.namedItem('reason') as HTMLElement).focus();
    return;
  }
  try {
    const updated = await call(
      http.api.POST('/api/v1/admin/enquiries/{enquiryId}/status', {
        params: { path: { enquiryId: id } },
        body: { to, reason },
      }),
    );
    const fresh = await call(
      http.api.GET('/api/v1/admin/enquiries/{enquiryId}/audit', {
        params: { path: { enquiryId: id } },
      }),
    );
    changed(updated, fresh.items);
  } catch (err) {
    const e2 =
      err instanceof ApiError && err.code === 'ENQUIRY.INVALID_TRANSITION'
        ? new Error('Someone changed this enquiry meanwhile; reload to see its current status.')
        : err;
    renderFormErrors(form, e2 instanceof Error ? e2 : new Error(String(e2)));
  }
}

export function enquiryDetailView(http: HttpClient) {
  return async ({ main, params }: RouteContext): Promise<void> => {
    const id = params.id ?? '';
    const [enquiry, audit] = await Promise.all([
      call(
        http.api.GET('/api/v1/admin/enquiries/{enquiryId}', {
          params: { path: { enquiryId: id } },
        }),
      ),
      call(
        http.api.GET('/api/v1/admin/enquiries/{enquiryId}/audit', {
          params: { path: { enquiryId: id } },
        }),
      ),
    ]);
    const details = el('div');
    const trail = el('ol', { class: ui('timeline'), 'aria-label': 'Audit trail' });
    const statusSlot = el('div');
    const show = (entry: Enquiry, items: AuditEntry[]): void => {
      details.replaceChildren(detailsCard(entry));
      trail.replaceChildren(...trailItems(items));
      statusSlot.replaceChildren(
        statusCard(http, id, entry, (updated, fresh) => {
          show(updated, fresh);
          announce(`Status changed to ${updated.status}.`);
        }),
      );
    };
    show(enquiry, audit.items);

    main.append(
      pageHead(`Enquiry from ${enquiry.name}`, el('a', { href: '#/enquiries' }, '← All enquiries')),
      el(
        'div',
        { class: ui('grid') },
        details,
        el(
          'div',
          { class: ui('stack') },
          statusSlot,
          card(el('h2', { class: ui('cardTitle') }, 'Audit trail'), trail),
        ),
      ),
    );
  };
}
