import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import { mustClass } from '../lib/css-modules.js';
import {
  clearFormErrors,
  renderFormErrors,
  showFieldError,
  showFormMessage,
} from '../lib/form-errors.js';
import { formatMoney } from '../lib/money.js';
import { readRefundForm, refundable } from '../lib/billing-logic.js';
import type { AdminBillingApi, BillingTransaction } from '../lib/billing-api.js';
import { h, formatDateTime } from '../ui/dom.js';
import { badge, button, field, formStatus, ui } from '../ui/components.js';
import { errorPanel, pageHead, type RouteContext } from '../ui/app-shell.js';
import styles from './billing.module.css';

const b = (name: string): string => mustClass(styles, name);

const KIND: Record<BillingTransaction['kind'], string> = {
  payment: 'Payment',
  invoice: 'Invoice',
  refund: 'Refund',
};
const REF: Record<string, string> = {
  pack_purchase: 'Pack purchase',
  subscription: 'Subscription',
};

/** The billing ledger: immutable transactions with their line items, newest first; refund full or part. */
export function ledgerView(api: AdminBillingApi) {
  return async (ctx: RouteContext): Promise<void> => new LedgerPage(api, ctx).start();
}

/** What a row needs from its page: the API, and a watch that refreshes until a refund settles. */
interface RowHost {
  readonly api: AdminBillingApi;
  watch(id: string, before: number, settled: () => void): Promise<void>;
}

class LedgerPage implements RowHost {
  private readonly tbody = h('tbody');
  private readonly result = h('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
  private readonly more = button('Load more', { variant: 'secondary' });
  private cursor: string | null = null;
  private readonly rows = new Map<string, HTMLTableRowElement>();
  private stopped = false;

  constructor(
    readonly api: AdminBillingApi,
    private readonly ctx: RouteContext,
  ) {
    this.more.hidden = true;
    ctx.onLeave(() => {
      this.stopped = true;
    });
  }

  async start(): Promise<void> {
    this.more.addEventListener('click', () => void this.load());
    this.ctx.main.append(
      pageHead('Billing ledger'),
      h(
        'p',
        { class: ui('muted') },
        'Every payment, paid invoice and refund, newest first. Records never change; a refund is its own line.',
      ),
      this.result,
      h(
        'div',
        { class: ui('tableWrap') },
        h(
          'table',
          { class: ui('table'), dataset: { ledger: '' } },
          h('caption', { class: ui('srOnly') }, 'Billing transactions, newest first'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...['When', 'Kind', 'For', 'Line items', 'Amount', 'Refunded', 'Actions'].map((x) =>
                h('th', { scope: 'col' }, x),
              ),
            ),
          ),
          this.tbody,
        ),
      ),
      h('div', { class: ui('actions') }, this.more),
    );
    await this.load();
  }

  /** After a refund request, refresh the newest page until the provider's confirmation shows. */
  async watch(id: string, before: number, settled: () => void): Promise<void> {
    for (let i = 0; i < 20 && !this.stopped; i += 1) {
      await new Promise((r) => setTimeout(r, 1500));
      if (this.stopped) return;
      try {
        const page = await this.api.transactions(null);
        for (const t of [...page.items].reverse())
          if (!this.rows.has(t.id)) this.insert(t, 'prepend');
        const updated = page.items.find((t) => t.id === id);
        if (updated && updated.refundedMinor > before) {
          settled();
          this.insert(updated, 'append');
          this.showCount();
          announce(
            `Refund confirmed: ${formatMoney(updated.refundedMinor, updated.currency)} refunded in total.`,
          );
          return;
        }
      } catch {
        // Keep the request note on screen; the next try or a reload shows the state.
      }
    }
  }

  private insert(t: BillingTransaction, where: 'append' | 'prepend'): void {
    const tr = new TransactionRow(this, t).tr;
    const old = this.rows.get(t.id);
    if (old) old.replaceWith(tr);
    else if (where === 'append') this.tbody.append(tr);
    else this.tbody.prepend(tr);
    this.rows.set(t.id, tr);
  }

  private async load(): Promise<void> {
    this.more.disabled = true;
    try {
      const page = await this.api.transactions(this.cursor);
      for (const t of page.items) this.insert(t, 'append');
      this.cursor = page.nextCursor;
      this.more.hidden = !this.cursor;
      this.showCount();
    } catch (err) {
      this.ctx.main.append(errorPanel(err));
    } finally {
      this.more.disabled = false;
    }
  }

  private showCount(): void {
    const n = this.rows.size;
    this.result.textContent =
      n === 0
        ? 'No transactions yet. Payments appear here when the provider confirms them.'
        : `${n} transaction${n === 1 ? '' : 's'} shown${this.cursor ? '; more available' : ''}.`;
  }
}

/** One transaction's row, with a Refund… button that opens the refund form in a row below it. */
class TransactionRow {
  readonly tr: HTMLTableRowElement;
  private readonly actions = h('td');
  private readonly remaining: number;
  private formRow: HTMLTableRowElement | null = null;

  constructor(
    private readonly host: RowHost,
    private readonly t: BillingTransaction,
  ) {
    this.remaining = refundable(t);
    const money = (m: number): string => this.money(m);
    const ref = t.reference ? `${REF[t.reference.kind] ?? t.reference.kind}` : '—';
    this.tr = h(
      'tr',
      { dataset: { transaction: t.id, kind: t.kind } },
      h('td', null, formatDateTime(t.createdAt)),
      h(
        'td',
        null,
        badge(KIND[t.kind].toLowerCase()),
        h('div', { class: ui('muted') }, t.provider),
      ),
      h(
        'td',
        null,
        h('div', null, ref),
        t.clientId
          ? h(
              'div',
              null,
              h(
                'code',
                { class: ui('mono'), title: t.clientId },
                `client ${t.clientId.slice(0, 8)}`,
              ),
            )
          : null,
      ),
      h(
        'td',
        null,
        h(
          'ul',
          { class: b('lines') },
          ...t.lines.map((l) =>
            h('li', null, `${l.quantity} × ${l.description} · ${money(l.unitAmountMinor)}`),
          ),
        ),
        h(
          'div',
          null,
          h('code', { class: ui('mono'), title: 'Provider reference' }, t.providerRef),
        ),
      ),
      h(
        'td',
        { class: b('num') },
        t.kind === 'refund' ? `\u2212${money(t.amountMinor)}` : money(t.amountMinor),
      ),
      h(
        'td',
        { class: b('num') },
        t.kind === 'refund' ? '' : t.refundedMinor > 0 ? money(t.refundedMinor) : '—',
      ),
      this.actions,
    );
    this.renderActions();
  }

  private money(minor: number): string {
    return formatMoney(minor, this.t.currency);
  }

  private renderActions(): void {
    const { t } = this;
    if (this.remaining <= 0) {
      this.actions.replaceChildren(
        t.kind === 'refund' ? '' : h('span', { class: ui('muted') }, 'Fully refunded'),
      );
      return;
    }
    const open = button('Refund…', { variant: 'secondary', small: true });
    open.setAttribute(
      'aria-label',
      `Refund ${this.money(t.amountMinor)} ${KIND[t.kind].toLowerCase()} of ${formatDateTime(t.createdAt)}`,
    );
    open.setAttribute('aria-expanded', 'false');
    open.addEventListener('click', () => this.showForm(open));
    this.actions.replaceChildren(open);
  }

  private showForm(open: HTMLButtonElement): void {
    if (this.formRow) return;
    const { t, remaining } = this;
    const formId = `refund-${t.id}`;
    const submit = button('Request refund', { type: 'submit', variant: 'danger', small: true });
    const cancel = button('Cancel', { variant: 'ghost', small: true });
    const form = h(
      'form',
      {
        id: formId,
        class: b('inlineForm'),
        novalidate: true,
        'aria-label': `Refund the ${this.money(t.amountMinor)} ${KIND[t.kind].toLowerCase()}`,
      },
      h(
        'p',
        { class: b('formHead') },
        `Refund ${t.lines.map((l) => l.description).join(', ') || KIND[t.kind].toLowerCase()} · ${this.money(remaining)} refundable`,
      ),
      formStatus(),
      field({
        label: 'Amount in pounds (£)',
        name: 'amountMinor',
        inputmode: 'decimal',
        autocomplete: 'off',
        hint: `Leave empty to refund all that is left: ${this.money(remaining)}.`,
      }),
      field({
        label: 'Reason',
        name: 'reason',
        required: true,
        autocomplete: 'off',
        maxlength: 500,
        hint: 'Kept in the audit trail.',
      }),
      h('div', { class: b('row') }, submit, cancel),
    );
    open.setAttribute('aria-expanded', 'true');
    open.setAttribute('aria-controls', formId);
    cancel.addEventListener('click', () => {
      this.formRow?.remove();
      this.formRow = null;
      open.setAttribute('aria-expanded', 'false');
      open.focus();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.requestRefund(form, submit, cancel);
    });
    this.formRow = h('tr', { class: b('formRow') }, h('td', { colspan: 7 }, form));
    this.tr.after(this.formRow);
    (form.elements.namedItem('amountMinor') as HTMLElement).focus();
  }

  private async requestRefund(
    form: HTMLFormElement,
    submit: HTMLButtonElement,
    cancel: HTMLButtonElement,
  ): Promise<void> {
    const { t } = this;
    clearFormErrors(form);
    const data = new FormData(form);
    const parsed = readRefundForm(
      { amount: String(data.get('amountMinor') ?? ''), reason: String(data.get('reason') ?? '') },
      this.remaining,
      t.currency,
    );
    if (!parsed.ok) {
      for (const [name, message] of Object.entries(parsed.errors))
        showFieldError(form, form.elements.namedItem(name) as HTMLElement, name, message);
      showFormMessage(form, 'Please correct the highlighted fields.');
      (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      return;
    }
    submit.disabled = true;
    cancel.disabled = true;
    try {
      const r = await this.host.api.refund(t.id, parsed.body);
      const text = `Refund of ${formatMoney(r.amountMinor, r.currency)} requested. It shows in the ledger once the payment provider confirms it.`;
      const note = h(
        'p',
        { class: ui('success'), role: 'status', tabindex: '-1', dataset: { refundRequested: '' } },
        text,
      );
      form.replaceWith(note);
      note.focus();
      this.actions.replaceChildren(h('span', { class: ui('muted') }, 'Refund requested'));
      void this.host.watch(t.id, t.refundedMinor, () => this.formRow?.remove());
    } catch (err) {
      renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
      submit.disabled = false;
      cancel.disabled = false;
    }
  }
}
