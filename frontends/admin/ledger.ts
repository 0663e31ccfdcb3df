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
import { el, formatDateTime } from '../ui/dom.js';
import { badge, button, field, formStatus, ui } from '../ui/components.js';
import { errorPanel, pageHead, type RouteContext } from '../ui/app-shell.js';
import styles from './billing.module.css';

const second = (name: string): string => mustClass(styles, name);

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
  private readonly tbody = el('tbody');
  private readonly result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
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
      el(
        'p',
        { class: ui('muted') },
        'Every payment, paid invoice and refund, newest first. Records never change; a refund is its own line.',
      ),
      this.result,
      el(
        'div',
        { class: ui('tableWrap') },
        el(
          'table',
          { class: ui('table'), dataset: { ledger: '' } },
          el('caption', { class: ui('srOnly') }, 'Billing transactions, newest first'),
          el(
            'thead',
            null,
            el(
              'tr',
              null,
              ...['When', 'Kind', 'For', 'Line items', 'Amount', 'Refunded', 'Actions'].map(
                (text) => el('th', { scope: 'col' }, text),
              ),
            ),
          ),
          this.tbody,
        ),
      ),
      el('div', { class: ui('actions') }, this.more),
    );
    await this.load();
  }

  /** After a refund request, refresh the newest page until the provider's confirmation shows. */
  async watch(id: string, before: number, settled: () => void): Promise<void> {
    for (let index = 0; index < 20 && !this.stopped; index += 1) {
      await new Promise((result) => setTimeout(result, 1500));
      if (this.stopped) return;
      try {
        const page = await this.api.transactions(null);
        for (const item of [...page.items].reverse())
          if (!this.rows.has(item.id)) this.insert(item, 'prepend');
        const updated = page.items.find((item) => item.id === id);
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

  private insert(target: BillingTransaction, where: 'append' | 'prepend'): void {
    const tr = new TransactionRow(this, target).tr;
    const old = this.rows.get(target.id);
    if (old) old.replaceWith(tr);
    else if (where === 'append') this.tbody.append(tr);
    else this.tbody.prepend(tr);
    this.rows.set(target.id, tr);
  }

  private async load(): Promise<void> {
    this.more.disabled = true;
    try {
      const page = await this.api.transactions(this.cursor);
      for (const item of page.items) this.insert(item, 'append');
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
    const count = this.rows.size;
    this.result.textContent =
      count === 0
        ? 'No transactions yet. Payments appear here when the provider confirms them.'
        : `${count} transaction${count === 1 ? '' : 's'} shown${this.cursor ? '; more available' : ''}.`;
  }
}

/** One transaction's row, with a Refund… button that opens the refund form in a row below it. */
class TransactionRow {
  readonly tr: HTMLTableRowElement;
  private readonly actions = el('td');
  private readonly remaining: number;
  private formRow: HTMLTableRowElement | null = null;

  constructor(
    private readonly host: RowHost,
    private readonly t: BillingTransaction,
  ) {
    this.remaining = refundable(t);
    const money = (minutes: number): string => this.money(minutes);
    const ref = t.reference ? `${REF[t.reference.kind] ?? t.reference.kind}` : '—';
    this.tr = el(
      'tr',
      { dataset: { transaction: t.id, kind: t.kind } },
      el('td', null, formatDateTime(t.createdAt)),
      el(
        'td',
        null,
        badge(KIND[t.kind].toLowerCase()),
        el('div', { class: ui('muted') }, t.provider),
      ),
      el(
        'td',
        null,
        el('div', null, ref),
        t.clientId
          ? el(
              'div',
              null,
              el(
                'code',
                { class: ui('mono'), title: t.clientId },
                `client ${t.clientId.slice(0, 8)}`,
              ),
            )
          : null,
      ),
      el(
        'td',
        null,
        el(
          'ul',
          { class: second('lines') },
          ...t.lines.map((line) =>
            el(
              'li',
              null,
              `${line.quantity} × ${line.description} · ${money(line.unitAmountMinor)}`,
            ),
          ),
        ),
        el(
          'div',
          null,
          el('code', { class: ui('mono'), title: 'Provider reference' }, t.providerRef),
        ),
      ),
      el(
        'td',
        { class: second('num') },
        t.kind === 'refund' ? `\u2212${money(t.amountMinor)}` : money(t.amountMinor),
      ),
      el(
        'td',
        { class: second('num') },
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
    const { t: target } = this;
    if (this.remaining <= 0) {
      this.actions.replaceChildren(
        target.kind === 'refund' ? '' : el('span', { class: ui('muted') }, 'Fully refunded'),
      );
      return;
    }
    const open = button('Refund…', { variant: 'secondary', small: true });
    open.setAttribute(
      'aria-label',
      `Refund ${this.money(target.amountMinor)} ${KIND[target.kind].toLowerCase()} of ${formatDateTime(target.createdAt)}`,
    );
    open.setAttribute('aria-expanded', 'false');
    open.addEventListener('click', () => this.showForm(open));
    this.actions.replaceChildren(open);
  }

  private showForm(open: HTMLButtonElement): void {
    if (this.formRow) return;
    const { t: target, remaining } = this;
    const formId = `refund-${target.id}`;
    const submit = button('Request refund', { type: 'submit', variant: 'danger', small: true });
    const cancel = button('Cancel', { variant: 'ghost', small: true });
    const form = el(
      'form',
      {
        id: formId,
        class: second('inlineForm'),
        novalidate: true,
        'aria-label': `Refund the ${this.money(target.amountMinor)} ${KIND[target.kind].toLowerCase()}`,
      },
      el(
        'p',
        { class: second('formHead') },
        `Refund ${target.lines.map((line) => line.description).join(', ') || KIND[target.kind].toLowerCase()} · ${this.money(remaining)} refundable`,
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
      el('div', { class: second('row') }, submit, cancel),
    );
    open.setAttribute('aria-expanded', 'true');
    open.setAttribute('aria-controls', formId);
    cancel.addEventListener('click', () => {
      this.formRow?.remove();
      this.formRow = null;
      open.setAttribute('aria-expanded', 'false');
      open.focus();
    });
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      void this.requestRefund(form, submit, cancel);
    });
    this.formRow = el('tr', { class: second('formRow') }, el('td', { colspan: 7 }, form));
    this.tr.after(this.formRow);
    (form.elements.namedItem('amountMinor') as HTMLElement).focus();
  }

  private async requestRefund(
    form: HTMLFormElement,
    submit: HTMLButtonElement,
    cancel: HTMLButtonElement,
  ): Promise<void> {
    const { t: target } = this;
    clearFormErrors(form);
    const data = new FormData(form);
    const parsed = readRefundForm(
      { amount: String(data.get('amountMinor') ?? ''), reason: String(data.get('reason') ?? '') },
      this.remaining,
      target.currency,
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
      const result = await this.host.api.refund(target.id, parsed.body);
      const text = `Refund of ${formatMoney(result.amountMinor, result.currency)} requested. It shows in the ledger once the payment provider confirms it.`;
      const note = el(
        'p',
        { class: ui('success'), role: 'status', tabindex: '-1', dataset: { refundRequested: '' } },
        text,
      );
      form.replaceWith(note);
      note.focus();
      this.actions.replaceChildren(el('span', { class: ui('muted') }, 'Refund requested'));
      void this.host.watch(target.id, target.refundedMinor, () => this.formRow?.remove());
    } catch (err) {
      renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
      submit.disabled = false;
      cancel.disabled = false;
    }
  }
}
