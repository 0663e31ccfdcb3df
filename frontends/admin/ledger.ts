import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import { mustClass } from '../lib/css-modules.js';
import { clearFormErrors, renderFormErrors, showFieldError, showFormMessage } from '../lib/form-errors.js';
import { formatMoney } from '../lib/money.js';
import { readRefundForm, refundable } from '../lib/billing-logic.js';
import type { AdminBillingApi, BillingTransaction } from '../lib/billing-api.js';
import { h, formatDateTime } from '../ui/dom.js';
import { badge, button, field, formStatus, ui } from '../ui/components.js';
import { errorPanel, pageHead, type RouteContext } from '../ui/app-shell.js';
import styles from './billing.module.css';

const b = (name: string): string => mustClass(styles, name);


const KIND: Record<BillingTransaction['kind'], string> = { payment: 'Payment', invoice: 'Invoice', refund: 'Refund' };
const REF: Record<string, string> = { pack_purchase: 'Pack purchase', subscription: 'Subscription' };

/** The billing ledger: immutable transactions with their line items, newest first; refund full or part. */
export function ledgerView(api: AdminBillingApi) {
  return async ({ main, onLeave }: RouteContext): Promise<void> => {
    const tbody = h('tbody');
    const result = h('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    let cursor: string | null = null;
    const rows = new Map<string, HTMLTableRowElement>();
    let stopped = false;
    onLeave(() => {
      stopped = true;
    });

    const row = (t: BillingTransaction): HTMLTableRowElement => {
      const actions = h('td');
      const remaining = refundable(t);
      const money = (m: number) => formatMoney(m, t.currency);
      let formRow: HTMLTableRowElement | null = null;
      const closeForm = (): void => {
        formRow?.remove();
        formRow = null;
      };
      const renderActions = (): void => {
        if (remaining <= 0) {
          actions.replaceChildren(t.kind === 'refund' ? '' : h('span', { class: ui('muted') }, 'Fully refunded'));
          return;
        }
        const open = button('Refund…', { variant: 'secondary', small: true });
        open.setAttribute('aria-label', `Refund ${money(t.amountMinor)} ${KIND[t.kind].toLowerCase()} of ${formatDateTime(t.createdAt)}`);
        open.setAttribute('aria-expanded', 'false');
        open.addEventListener('click', () => showForm(open));
        actions.replaceChildren(open);
      };
      const showForm = (open: HTMLButtonElement): void => {
        if (formRow) return;
        const formId = `refund-${t.id}`;
        const submit = button('Request refund', { type: 'submit', variant: 'danger', small: true });
        const cancel = button('Cancel', { variant: 'ghost', small: true });
        const form = h(
          'form',
          { id: formId, class: b('inlineForm'), novalidate: true, 'aria-label': `Refund the ${money(t.amountMinor)} ${KIND[t.kind].toLowerCase()}` },
          h('p', { class: b('formHead') }, `Refund ${t.lines.map((l) => l.description).join(', ') || KIND[t.kind].toLowerCase()} · ${money(remaining)} refundable`),
          formStatus(),
          field({ label: 'Amount in pounds (£)', name: 'amountMinor', inputmode: 'decimal', autocomplete: 'off', hint: `Leave empty to refund all that is left: ${money(remaining)}.` }),
          field({ label: 'Reason', name: 'reason', required: true, autocomplete: 'off', maxlength: 500, hint: 'Kept in the audit trail.' }),
          h('div', { class: b('row') }, submit, cancel),
        );
        open.setAttribute('aria-expanded', 'true');
        open.setAttribute('aria-controls', formId);
        cancel.addEventListener('click', () => {
          closeForm();
          open.setAttribute('aria-expanded', 'false');
          open.focus();
        });
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          void (async () => {
            clearFormErrors(form);
            const data = new FormData(form);
            const parsed = readRefundForm({ amount: String(data.get('amountMinor') ?? ''), reason: String(data.get('reason') ?? '') }, remaining, t.currency);
            if (!parsed.ok) {
              for (const [name, message] of Object.entries(parsed.errors)) showFieldError(form, form.elements.namedItem(name) as HTMLElement, name, message);
              showFormMessage(form, 'Please correct the highlighted fields.');
              (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
              return;
            }
            submit.disabled = true;
            cancel.disabled = true;
            try {
              const r = await api.refund(t.id, parsed.body);
              const text = `Refund of ${formatMoney(r.amountMinor, r.currency)} requested. It shows in the ledger once the payment provider confirms it.`;
              const note = h('p', { class: ui('success'), role: 'status', tabindex: '-1', dataset: { refundRequested: '' } }, text);
              form.replaceWith(note);
              note.focus();
              actions.replaceChildren(h('span', { class: ui('muted') }, 'Refund requested'));
              void watch(t.id, t.refundedMinor, () => formRow?.remove());
            } catch (err) {
              renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
              submit.disabled = false;
              cancel.disabled = false;
            }
          })();
        });
        formRow = h('tr', { class: b('formRow') }, h('td', { colspan: 7 }, form));
        tr.after(formRow);
        (form.elements.namedItem('amountMinor') as HTMLElement).focus();
      };
      const ref = t.reference ? `${REF[t.reference.kind] ?? t.reference.kind}` : '—';
      const tr = h(
        'tr',
        { dataset: { transaction: t.id, kind: t.kind } },
        h('td', null, formatDateTime(t.createdAt)),
        h('td', null, badge(KIND[t.kind].toLowerCase()), h('div', { class: ui('muted') }, t.provider)),
        h('td', null, h('div', null, ref), t.clientId ? h('div', null, h('code', { class: ui('mono'), title: t.clientId }, `client ${t.clientId.slice(0, 8)}`)) : null),
        h(
          'td',
          null,
          h('ul', { class: b('lines') }, ...t.lines.map((l) => h('li', null, `${l.quantity} × ${l.description} · ${money(l.unitAmountMinor)}`))),
          h('div', null, h('code', { class: ui('mono'), title: 'Provider reference' }, t.providerRef)),
        ),
        h('td', { class: b('num') }, t.kind === 'refund' ? `\u2212${money(t.amountMinor)}` : money(t.amountMinor)),
        h('td', { class: b('num') }, t.kind === 'refund' ? '' : t.refundedMinor > 0 ? money(t.refundedMinor) : '—'),
        actions,
      );
      renderActions();
      return tr;
    };

    const insert = (t: BillingTransaction, where: 'append' | 'prepend'): void => {
      const tr = row(t);
      const old = rows.get(t.id);
      if (old) old.replaceWith(tr);
      else if (where === 'append') tbody.append(tr);
      else tbody.prepend(tr);
      rows.set(t.id, tr);
    };

    /** After a refund request, refresh the newest page until the provider's confirmation shows. */
    const watch = async (id: string, before: number, settled: () => void): Promise<void> => {
      for (let i = 0; i < 20 && !stopped; i += 1) {
        await new Promise((r) => setTimeout(r, 1500));
        if (stopped) return;
        try {
          const page = await api.transactions(null);
          for (const t of [...page.items].reverse()) if (!rows.has(t.id)) insert(t, 'prepend');
          const updated = page.items.find((t) => t.id === id);
          if (updated && updated.refundedMinor > before) {
            settled();
            insert(updated, 'append');
            showCount();
            announce(`Refund confirmed: ${formatMoney(updated.refundedMinor, updated.currency)} refunded in total.`);
            return;
          }
        } catch {
          // Keep the request note on screen; the next try or a reload shows the state.
        }
      }
    };

    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const page = await api.transactions(cursor);
        for (const t of page.items) insert(t, 'append');
        cursor = page.nextCursor;
        more.hidden = !cursor;
        showCount();
      } catch (err) {
        main.append(errorPanel(err));
      } finally {
        more.disabled = false;
      }
    };
    const showCount = (): void => {
      result.textContent = rows.size === 0 ? 'No transactions yet. Payments appear here when the provider confirms them.' : `${rows.size} transaction${rows.size === 1 ? '' : 's'} shown${cursor ? '; more available' : ''}.`;
    };
    more.addEventListener('click', () => void load());

    main.append(
      pageHead('Billing ledger'),
      h('p', { class: ui('muted') }, 'Every payment, paid invoice and refund, newest first. Records never change; a refund is its own line.'),
      result,
      h(
        'div',
        { class: ui('tableWrap') },
        h(
          'table',
          { class: ui('table'), dataset: { ledger: '' } },
          h('caption', { class: ui('srOnly') }, 'Billing transactions, newest first'),
          h('thead', null, h('tr', null, ...['When', 'Kind', 'For', 'Line items', 'Amount', 'Refunded', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))),
          tbody,
        ),
      ),
      h('div', { class: ui('actions') }, more),
    );
    await load();
  };
}
