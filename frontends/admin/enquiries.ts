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
import { h, formatDateTime } from '../ui/dom.js';
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
  const d = new Date(`${value}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function enquiriesView(http: HttpClient) {
  return async ({ main, query, navigate }: RouteContext): Promise<void> => {
    const status = query.get('status') ?? '';
    const from = query.get('from') ?? '';
    const to = query.get('to') ?? '';
    const filters = h(
      'form',
      { class: ui('filters'), role: 'search', 'aria-label': 'Filter enquiries' },
      field({
        label: 'Status',
        name: 'status',
        value: status,
        options: [
          { value: '', label: 'Any status' },
          ...STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })),
        ],
      }),
      field({ label: 'From', name: 'from', type: 'date', value: from }),
      field({ label: 'To', name: 'to', type: 'date', value: to }),
      h(
        'div',
        { class: ui('actions') },
        button('Apply filters', { type: 'submit', small: true }),
        h('a', { class: uis('button', 'ghost', 'small'), href: '#/enquiries' }, 'Reset'),
      ),
    );
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(filters);
      const qs = new URLSearchParams();
      for (const k of ['status', 'from', 'to']) {
        const v = String(data.get(k) ?? '');
        if (v) qs.set(k, v);
      }
      navigate(`/enquiries${qs.size ? `?${qs}` : ''}`);
    });

    const tbody = h('tbody');
    const table = h(
      'div',
      { class: ui('tableWrap') },
      h(
        'table',
        { class: ui('table') },
        h('caption', { class: ui('srOnly') }, 'Enquiries, newest first'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Received'),
            h('th', { scope: 'col' }, 'Name'),
            h('th', { scope: 'col' }, 'Email'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Message'),
          ),
        ),
        tbody,
      ),
    );
    const result = h('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    main.append(
      pageHead('Enquiries'),
      filters,
      result,
      table,
      h('div', { class: ui('actions') }, more),
    );

    let cursor: string | null = null;
    let count = 0;
    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const q: NonNullable<operations['listEnquiries']['parameters']['query']> = {
          limit: PAGE_SIZE,
        };
        if (STATUSES.includes(status as EnquiryStatus)) q.status = status as EnquiryStatus;
        const fromIso = dayBoundary(from, false);
        const toIso = dayBoundary(to, true);
        if (fromIso) q.from = fromIso;
        if (toIso) q.to = toIso;
        if (cursor) q.cursor = cursor;
        const page = await call(http.api.GET('/api/v1/admin/enquiries', { params: { query: q } }));
        for (const e of page.items) tbody.append(row(e));
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

function row(e: Enquiry): HTMLTableRowElement {
  return h(
    'tr',
    null,
    h('td', null, formatDateTime(e.createdAt)),
    h('td', null, h('a', { href: `#/enquiries/${encodeURIComponent(e.id)}` }, e.name)),
    h('td', null, e.email),
    h('td', null, badge(e.status)),
    h('td', null, e.message.length > 80 ? `${e.message.slice(0, 80)}…` : e.message),
  );
}

type AuditEntry = components['schemas']['EnquiryAuditEntry'];

function detailsCard(e: Enquiry): HTMLElement {
  return card(
    h('h2', { class: ui('cardTitle') }, 'Details'),
    h(
      'dl',
      { class: ui('dl') },
      h('dt', null, 'Status'),
      h('dd', null, badge(e.status)),
      h('dt', null, 'Email'),
      h('dd', null, h('a', { href: `mailto:${e.email}` }, e.email)),
      h('dt', null, 'Phone'),
      h('dd', null, e.phone ?? '—'),
      h('dt', null, 'Prefers'),
      h('dd', null, e.preferredContact ?? 'no preference'),
      h('dt', null, 'Received'),
      h('dd', null, formatDateTime(e.createdAt)),
      h('dt', null, 'Updated'),
      h('dd', null, formatDateTime(e.updatedAt)),
    ),
    h('h3', { class: ui('cardTitle') }, 'Message'),
    h('p', { style: 'white-space: pre-wrap' }, e.message),
  );
}

function trailItems(items: AuditEntry[]): HTMLLIElement[] {
  return items.map((a) =>
    h(
      'li',
      null,
      h('strong', null, a.from ? `${a.from} → ${a.to}` : `Submitted (${a.to})`),
      h(
        'div',
        { class: ui('muted') },
        `${formatDateTime(a.at)} · ${a.actorEmail ?? 'the visitor'}`,
      ),
      a.reason ? h('p', null, a.reason) : null,
    ),
  );
}

type Changed = (updated: Enquiry, audit: AuditEntry[]) => void;

/** The status form for the moves the state machine allows, or a note that the status is final. */
function statusCard(http: HttpClient, id: string, e: Enquiry, changed: Changed): HTMLElement {
  const options = NEXT[e.status];
  if (options.length === 0) {
    return card(
      h('h2', { class: ui('cardTitle') }, 'Change status'),
      h('p', { class: ui('muted') }, `This enquiry is ${e.status}; that is final.`),
    );
  }
  const form = h(
    'form',
    { id: 'status-form', class: ui('form'), novalidate: true, 'aria-labelledby': 'status-title' },
    formStatus(),
    field({
      label: 'New status',
      name: 'to',
      required: true,
      options: options.map((o) => ({ value: o, label: o[0]!.toUpperCase() + o.slice(1) })),
    }),
    field({
      label: 'Reason',
      name: 'reason',
      required: true,
      multiline: true,
      maxlength: 1000,
      hint: 'Kept in the audit trail. Say what happened, e.g. “Called and booked a tasting.”',
    }),
    h('div', { class: ui('actions') }, button('Change status', { type: 'submit' })),
    successRegion(),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void changeStatus(http, id, form, changed);
  });
  return card(h('h2', { id: 'status-title', class: ui('cardTitle') }, 'Change status'), form);
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
    const details = h('div');
    const trail = h('ol', { class: ui('timeline'), 'aria-label': 'Audit trail' });
    const statusSlot = h('div');
    const show = (e: Enquiry, items: AuditEntry[]): void => {
      details.replaceChildren(detailsCard(e));
      trail.replaceChildren(...trailItems(items));
      statusSlot.replaceChildren(
        statusCard(http, id, e, (updated, fresh) => {
          show(updated, fresh);
          announce(`Status changed to ${updated.status}.`);
        }),
      );
    };
    show(enquiry, audit.items);

    main.append(
      pageHead(`Enquiry from ${enquiry.name}`, h('a', { href: '#/enquiries' }, '← All enquiries')),
      h(
        'div',
        { class: ui('grid') },
        details,
        h(
          'div',
          { class: ui('stack') },
          statusSlot,
          card(h('h2', { class: ui('cardTitle') }, 'Audit trail'), trail),
        ),
      ),
    );
  };
}
