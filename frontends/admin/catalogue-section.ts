import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import { mustClass } from '../lib/css-modules.js';
import {
  clearFormErrors,
  renderFormErrors,
  showFieldError,
  showFormMessage,
} from '../lib/form-errors.js';
import { readCatalogueForm } from '../lib/billing-logic.js';
import type { Pack, Plan } from '../lib/billing-api.js';
import { el, formatDateTime, type Child } from '../ui/dom.js';
import { badge, button, card, formStatus, successRegion, ui } from '../ui/components.js';
import styles from './billing.module.css';

const second = (name: string): string => mustClass(styles, name);

export interface SectionConfig<T extends Pack | Plan> {
  kind: 'pack' | 'plan';
  title: string;
  noun: string;
  headers: string[];
  list(): Promise<T[]>;
  cells(item: T): Child[];
  fields(item: T | null): HTMLElement[];
  save(editing: T | null, body: Record<string, string | number>): Promise<T>;
  retire(item: T): Promise<T>;
}

/** One catalogue table (packs or plans) with its add/edit form and a confirmed retire per row. */
export class CatalogueSection<T extends Pack | Plan> {
  readonly el: HTMLElement;
  private readonly tbody = el('tbody');
  private readonly result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
  private readonly formTitle: HTMLHeadingElement;
  private readonly done = successRegion();
  private readonly submit = button('', { type: 'submit' });
  private readonly cancelEdit = button('Cancel editing', { variant: 'ghost' });
  private readonly fieldsSlot = el('div', { class: ui('stack') });
  private readonly form: HTMLFormElement;
  private readonly tableWrap = el('div', { class: ui('tableWrap') });
  private editing: T | null = null;
  private readonly rows = new Map<string, HTMLTableRowElement>();
  private readonly known = new Map<string, T>();

  constructor(private readonly cfg: SectionConfig<T>) {
    this.formTitle = el('h3', {
      id: `${cfg.kind}-form-title`,
      class: ui('cardTitle'),
      tabindex: '-1',
    });
    this.form = el(
      'form',
      {
        id: `${cfg.kind}-form`,
        class: ui('form'),
        novalidate: true,
        'aria-labelledby': this.formTitle.id,
      },
      formStatus(),
      this.fieldsSlot,
      el('div', { class: ui('actions') }, this.submit, this.cancelEdit),
      this.done,
    );
    this.cancelEdit.addEventListener('click', () => {
      this.setMode(null);
      this.done.textContent = '';
    });
    this.form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      void this.save();
    });
    this.setMode(null);
    this.tableWrap.append(
      el(
        'table',
        { class: ui('table'), dataset: { catalogue: cfg.kind } },
        el('caption', { class: ui('srOnly') }, cfg.title),
        el(
          'thead',
          null,
          el(
            'tr',
            null,
            ...[...cfg.headers, 'Status', 'Updated', 'Actions'].map((text) =>
              el('th', { scope: 'col' }, text),
            ),
          ),
        ),
        this.tbody,
      ),
    );
    this.el = el(
      'section',
      { class: ui('stack'), 'aria-labelledby': `${cfg.kind}-section-title` },
      el('h2', { id: `${cfg.kind}-section-title`, class: ui('sectionTitle') }, cfg.title),
      this.result,
      this.tableWrap,
      el('div', { class: second('formCard') }, card(this.formTitle, this.form)),
    );
  }

  async load(): Promise<void> {
    try {
      const items = await this.cfg.list();
      this.tbody.replaceChildren();
      this.rows.clear();
      this.known.clear();
      for (const item of items) {
        const tr = this.row(item);
        this.rows.set(item.id, tr);
        this.known.set(item.id, item);
        this.tbody.append(tr);
      }
      this.recount();
    } catch (err) {
      this.result.textContent = `The ${this.cfg.noun}s could not be loaded: ${err instanceof ApiError ? err.userMessage : String(err)}`;
    }
  }

  private recount(): void {
    const all = [...this.known.values()];
    const active = all.filter((index) => index.status === 'active').length;
    this.tableWrap.hidden = all.length === 0;
    this.result.textContent =
      all.length === 0
        ? `No ${this.cfg.noun}s yet. Add the first one below.`
        : `${active} active, ${all.length - active} retired.`;
  }

  private setMode(item: T | null): void {
    const { noun } = this.cfg;
    this.editing = item;
    clearFormErrors(this.form);
    this.fieldsSlot.replaceChildren(...this.cfg.fields(item));
    this.formTitle.textContent = item ? `Edit ${noun}: ${item.name}` : `Add a ${noun}`;
    this.submit.textContent = item ? 'Save changes' : `Create ${noun}`;
    this.cancelEdit.hidden = !item;
  }

  private row(item: T): HTMLTableRowElement {
    const actions = el('td');
    const cells = this.cfg
      .cells(item)
      .map((cell, index) =>
        el('td', { class: index >= 1 && index <= 3 ? second('num') : undefined }, cell),
      );
    const tr = el(
      'tr',
      { class: item.status === 'retired' ? second('retired') : undefined },
      ...cells,
      el('td', null, badge(item.status)),
      el('td', null, formatDateTime(item.updatedAt)),
      actions,
    );
    this.renderActions(tr, actions, item);
    return tr;
  }

  private renderActions(tr: HTMLTableRowElement, actions: HTMLElement, item: T): void {
    if (item.status === 'retired') {
      actions.replaceChildren(el('span', { class: ui('muted') }, 'Retired'));
      return;
    }
    const edit = button('Edit', { variant: 'secondary', small: true });
    edit.setAttribute('aria-label', `Edit ${item.name}`);
    edit.addEventListener('click', () => {
      this.setMode(item);
      this.done.textContent = '';
      this.formTitle.scrollIntoView({ block: 'start' });
      (this.form.elements.namedItem('name') as HTMLElement | null)?.focus();
    });
    const retire = button('Retire', { variant: 'ghost', small: true });
    retire.setAttribute('aria-label', `Retire ${item.name}`);
    retire.addEventListener('click', () => this.confirmRetire(tr, actions, item));
    actions.replaceChildren(el('div', { class: second('row') }, edit, retire));
  }

  private confirmRetire(tr: HTMLTableRowElement, actions: HTMLElement, item: T): void {
    const yes = button('Yes, retire', { variant: 'danger', small: true });
    yes.setAttribute('aria-label', `Yes, retire ${item.name}`);
    const no = button('Cancel', { variant: 'ghost', small: true });
    const alert = el('p', { class: second('alert'), role: 'alert' });
    actions.replaceChildren(
      el(
        'div',
        { class: ui('stack') },
        el(
          'span',
          null,
          `Retire ${item.name}? It leaves the catalogue; what was bought stays valid.`,
        ),
        el('div', { class: second('row') }, yes, no),
        alert,
      ),
    );
    yes.focus();
    no.addEventListener('click', () => {
      this.renderActions(tr, actions, item);
      (actions.querySelector('button') as HTMLElement | null)?.focus();
    });
    yes.addEventListener('click', () => void this.retire(tr, item, yes, alert));
  }

  private async retire(
    tr: HTMLTableRowElement,
    item: T,
    yes: HTMLButtonElement,
    alert: HTMLElement,
  ): Promise<void> {
    yes.disabled = true;
    try {
      const updated = await this.cfg.retire(item);
      const fresh = this.row(updated);
      tr.replaceWith(fresh);
      this.rows.set(updated.id, fresh);
      this.known.set(updated.id, updated);
      this.recount();
      this.done.textContent = '';
      if (this.editing?.id === updated.id) this.setMode(null);
      announce(`${updated.name} is retired.`);
    } catch (err) {
      yes.disabled = false;
      alert.textContent = err instanceof ApiError ? err.userMessage : String(err);
    }
  }

  /** The form's values checked and shaped for the API, or null with the errors shown. */
  private readBody(): Record<string, string | number> | null {
    const { form } = this;
    const values: Record<string, string> = {};
    for (const [key, value] of new FormData(form).entries()) values[key] = String(value);
    const parsed = readCatalogueForm(values, this.cfg.kind);
    if (!parsed.ok) {
      for (const [name, message] of Object.entries(parsed.errors)) {
        const control = form.elements.namedItem(name);
        if (control instanceof HTMLElement) showFieldError(form, control, name, message);
      }
      showFormMessage(form, 'Please correct the highlighted fields.');
      (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      return null;
    }
    const body = { ...parsed.body };
    // An empty description on create is simply left out; on edit it clears the text (null).
    if (body.description === '') {
      delete body.description;
      if (this.editing && this.editing.description)
        (body as Record<string, unknown>).description = null;
    }
    return body;
  }

  private async save(): Promise<void> {
    clearFormErrors(this.form);
    this.done.textContent = '';
    const body = this.readBody();
    if (!body) return;
    this.submit.disabled = true;
    try {
      const saved = await this.cfg.save(this.editing, body);
      const fresh = this.row(saved);
      const old = this.rows.get(saved.id);
      if (old) old.replaceWith(fresh);
      else this.tbody.prepend(fresh);
      this.rows.set(saved.id, fresh);
      this.known.set(saved.id, saved);
      this.recount();
      this.done.textContent = this.editing
        ? `${saved.name} is saved. Changes apply to new purchases only.`
        : `${saved.name} is in the catalogue now.`;
      this.setMode(null);
      this.form.reset();
    } catch (err) {
      renderFormErrors(this.form, err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.submit.disabled = false;
    }
  }
}
