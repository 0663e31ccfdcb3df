import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import { mustClass } from '../lib/css-modules.js';
import { clearFormErrors, renderFormErrors, showFieldError, showFormMessage } from '../lib/form-errors.js';
import { formatMoney, formatPerMeal, minorToMajorInput } from '../lib/money.js';
import { readCatalogueForm } from '../lib/billing-logic.js';
import type { AdminBillingApi, Pack, Plan } from '../lib/billing-api.js';
import { h, formatDateTime, type Child } from '../ui/dom.js';
import { badge, button, card, field, formStatus, successRegion, ui } from '../ui/components.js';
import { pageHead, type RouteContext } from '../ui/app-shell.js';
import styles from './billing.module.css';

const b = (name: string): string => mustClass(styles, name);


interface SectionConfig<T extends Pack | Plan> {
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

function catalogueSection<T extends Pack | Plan>(cfg: SectionConfig<T>): { el: HTMLElement; load(): Promise<void> } {
  const tbody = h('tbody');
  const result = h('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
  const formTitle = h('h3', { id: `${cfg.kind}-form-title`, class: ui('cardTitle'), tabindex: '-1' });
  const done = successRegion();
  const submit = button('', { type: 'submit' });
  const cancelEdit = button('Cancel editing', { variant: 'ghost' });
  const fieldsSlot = h('div', { class: ui('stack') });
  const form = h(
    'form',
    { id: `${cfg.kind}-form`, class: ui('form'), novalidate: true, 'aria-labelledby': formTitle.id },
    formStatus(),
    fieldsSlot,
    h('div', { class: ui('actions') }, submit, cancelEdit),
    done,
  );
  let editing: T | null = null;
  const rows = new Map<string, HTMLTableRowElement>();
  const known = new Map<string, T>();
  const tableWrap = h('div', { class: ui('tableWrap') });
  const recount = (): void => {
    const all = [...known.values()];
    const active = all.filter((i) => i.status === 'active').length;
    tableWrap.hidden = all.length === 0;
    result.textContent = all.length === 0 ? `No ${cfg.noun}s yet. Add the first one below.` : `${active} active, ${all.length - active} retired.`;
  };

  const setMode = (item: T | null): void => {
    editing = item;
    clearFormErrors(form);
    fieldsSlot.replaceChildren(...cfg.fields(item));
    formTitle.textContent = item ? `Edit ${cfg.noun}: ${item.name}` : `Add a ${cfg.noun}`;
    submit.textContent = item ? 'Save changes' : `Create ${cfg.noun}`;
    cancelEdit.hidden = !item;
  };
  cancelEdit.addEventListener('click', () => {
    setMode(null);
    done.textContent = '';
  });

  const row = (item: T): HTMLTableRowElement => {
    const actions = h('td');
    const tr = h('tr', { class: item.status === 'retired' ? b('retired') : undefined }, ...cfg.cells(item).map((c, i) => h('td', { class: i >= 1 && i <= 3 ? b('num') : undefined }, c)), h('td', null, badge(item.status)), h('td', null, formatDateTime(item.updatedAt)), actions);
    const renderActions = (): void => {
      if (item.status === 'retired') {
        actions.replaceChildren(h('span', { class: ui('muted') }, 'Retired'));
        return;
      }
      const edit = button('Edit', { variant: 'secondary', small: true });
      edit.setAttribute('aria-label', `Edit ${item.name}`);
      edit.addEventListener('click', () => {
        setMode(item);
        done.textContent = '';
        formTitle.scrollIntoView({ block: 'start' });
        (form.elements.namedItem('name') as HTMLElement | null)?.focus();
      });
      const retire = button('Retire', { variant: 'ghost', small: true });
      retire.setAttribute('aria-label', `Retire ${item.name}`);
      retire.addEventListener('click', () => {
        const yes = button('Yes, retire', { variant: 'danger', small: true });
        yes.setAttribute('aria-label', `Yes, retire ${item.name}`);
        const no = button('Cancel', { variant: 'ghost', small: true });
        const alert = h('p', { class: b('alert'), role: 'alert' });
        actions.replaceChildren(h('div', { class: ui('stack') }, h('span', null, `Retire ${item.name}? It leaves the catalogue; what was bought stays valid.`), h('div', { class: b('row') }, yes, no), alert));
        yes.focus();
        no.addEventListener('click', () => {
          renderActions();
          (actions.querySelector('button') as HTMLElement | null)?.focus();
        });
        yes.addEventListener('click', () => {
          void (async () => {
            yes.disabled = true;
            try {
              const updated = await cfg.retire(item);
              const fresh = row(updated);
              tr.replaceWith(fresh);
              rows.set(updated.id, fresh);
              known.set(updated.id, updated);
              recount();
              done.textContent = '';
              if (editing?.id === updated.id) setMode(null);
              announce(`${updated.name} is retired.`);
            } catch (err) {
              yes.disabled = false;
              alert.textContent = err instanceof ApiError ? err.userMessage : String(err);
            }
          })();
        });
      });
      actions.replaceChildren(h('div', { class: b('row') }, edit, retire));
    };
    renderActions();
    return tr;
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      clearFormErrors(form);
      done.textContent = '';
      const data = new FormData(form);
      const values: Record<string, string> = {};
      for (const [k, v] of data.entries()) values[k] = String(v);
      const parsed = readCatalogueForm(values, cfg.kind);
      if (!parsed.ok) {
        for (const [name, message] of Object.entries(parsed.errors)) {
          const control = form.elements.namedItem(name);
          if (control instanceof HTMLElement) showFieldError(form, control, name, message);
        }
        showFormMessage(form, 'Please correct the highlighted fields.');
        (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
        return;
      }
      const body = { ...parsed.body };
      // An empty description on create is simply left out; on edit it clears the text (null).
      if (body.description === '') {
        delete body.description;
        if (editing && editing.description) (body as Record<string, unknown>).description = null;
      }
      submit.disabled = true;
      try {
        const saved = await cfg.save(editing, body);
        const fresh = row(saved);
        const old = rows.get(saved.id);
        if (old) old.replaceWith(fresh);
        else tbody.prepend(fresh);
        rows.set(saved.id, fresh);
        known.set(saved.id, saved);
        recount();
        done.textContent = editing ? `${saved.name} is saved. Changes apply to new purchases only.` : `${saved.name} is in the catalogue now.`;
        setMode(null);
        form.reset();
      } catch (err) {
        renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
      } finally {
        submit.disabled = false;
      }
    })();
  });
  setMode(null);

  tableWrap.append(
    h(
      'table',
      { class: ui('table'), dataset: { catalogue: cfg.kind } },
      h('caption', { class: ui('srOnly') }, cfg.title),
      h('thead', null, h('tr', null, ...[...cfg.headers, 'Status', 'Updated', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody,
    ),
  );
  const el = h(
    'section',
    { class: ui('stack'), 'aria-labelledby': `${cfg.kind}-section-title` },
    h('h2', { id: `${cfg.kind}-section-title`, class: ui('sectionTitle') }, cfg.title),
    result,
    tableWrap,
    h('div', { class: b('formCard') }, card(formTitle, form)),
  );
  return {
    el,
    async load() {
      try {
        const items = await cfg.list();
        tbody.replaceChildren();
        rows.clear();
        known.clear();
        for (const item of items) {
          const tr = row(item);
          rows.set(item.id, tr);
          known.set(item.id, item);
          tbody.append(tr);
        }
        recount();
      } catch (err) {
        result.textContent = `The ${cfg.noun}s could not be loaded: ${err instanceof ApiError ? err.userMessage : String(err)}`;
      }
    },
  };
}

const priceField = (minor: number | undefined): HTMLElement =>
  field({ label: 'Price in pounds (£)', name: 'priceMinor', required: true, inputmode: 'decimal', autocomplete: 'off', value: minor === undefined ? undefined : minorToMajorInput(minor), hint: 'For example 45.00. At least £0.50.' });

/** Packs and plans: list, create, edit, retire (confirmed); prices typed in pounds, sent in pence. */
export function catalogueView(api: AdminBillingApi) {
  return async ({ main }: RouteContext): Promise<void> => {
    const packs = catalogueSection<Pack>({
      kind: 'pack',
      title: 'Meal packs',
      noun: 'pack',
      headers: ['Name', 'Meals', 'Price', 'Per meal'],
      list: api.packs,
      cells: (p) => [h('strong', null, p.name), String(p.meals), formatMoney(p.priceMinor, p.currency), formatPerMeal(p.priceMinor, p.meals, p.currency)],
      fields: (p) => [
        field({ label: 'Name', name: 'name', required: true, autocomplete: 'off', maxlength: 120, value: p?.name }),
        field({ label: 'Description', name: 'description', multiline: true, maxlength: 1000, value: p?.description ?? undefined }),
        field({ label: 'Meals', name: 'meals', type: 'number', required: true, inputmode: 'numeric', value: p ? String(p.meals) : undefined, hint: '1 to 500 meal credits.' }),
        priceField(p?.priceMinor),
      ],
      save: (p, body) => (p ? api.updatePack(p.id, body) : api.createPack({ ...(body as { name: string; meals: number; priceMinor: number }), currency: 'gbp' })),
      retire: (p) => api.retirePack(p.id),
    });
    const plans = catalogueSection<Plan>({
      kind: 'plan',
      title: 'Subscription plans',
      noun: 'plan',
      headers: ['Name', 'Meals', 'Price', 'Per meal'],
      list: api.plans,
      cells: (p) => [h('strong', null, p.name), `${p.mealsPerInterval} / ${p.interval}`, `${formatMoney(p.priceMinor, p.currency)} / ${p.interval}`, formatPerMeal(p.priceMinor, p.mealsPerInterval, p.currency)],
      fields: (p) => [
        field({ label: 'Name', name: 'name', required: true, autocomplete: 'off', maxlength: 120, value: p?.name }),
        field({ label: 'Description', name: 'description', multiline: true, maxlength: 1000, value: p?.description ?? undefined }),
        p
          ? h('p', { class: ui('muted') }, `Billed every ${p.interval}; the interval cannot change once a plan exists.`)
          : field({ label: 'Billed every', name: 'interval', required: true, options: [{ value: 'week', label: 'Week' }, { value: 'month', label: 'Month' }] }),
        field({ label: 'Meals per period', name: 'mealsPerInterval', type: 'number', required: true, inputmode: 'numeric', value: p ? String(p.mealsPerInterval) : undefined, hint: '1 to 100 meal credits for each paid period.' }),
        priceField(p?.priceMinor),
      ],
      save: (p, body) => {
        if (p) {
          const { interval: _interval, ...rest } = body;
          return api.updatePlan(p.id, rest);
        }
        return api.createPlan({ ...(body as { name: string; interval: 'week' | 'month'; mealsPerInterval: number; priceMinor: number }), currency: 'gbp' });
      },
      retire: (p) => api.retirePlan(p.id),
    });
    main.append(
      pageHead('Catalogue'),
      h('p', { class: ui('muted') }, 'What clients can buy. Prices are in pounds; changes apply to new purchases only, and retiring keeps what was already bought.'),
      packs.el,
      plans.el,
    );
    await Promise.all([packs.load(), plans.load()]);
  };
}
