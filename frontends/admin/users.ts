import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from '../lib/http-client.js';
import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import { clearFormErrors, renderFormErrors, showFieldError } from '../lib/form-errors.js';
import type { SessionStore } from '../lib/session.js';
import { el, formatDateTime } from '../ui/dom.js';
import { badge, button, card, field, formStatus, successRegion, ui } from '../ui/components.js';
import { errorPanel, pageHead, type RouteContext } from '../ui/app-shell.js';

type User = components['schemas']['User'];

interface Deps {
  http: HttpClient;
  session: SessionStore;
}

function userRow(deps: Deps, user: User): HTMLTableRowElement {
  const actions = el('td');
  const tr = el(
    'tr',
    null,
    el('td', null, user.displayName),
    el('td', null, user.email),
    el('td', null, user.role.replace('_', ' ')),
    el('td', null, badge(user.status)),
    el('td', null, formatDateTime(user.createdAt)),
    actions,
  );
  renderActions(deps, tr, actions, user);
  return tr;
}

function renderActions(
  deps: Deps,
  tr: HTMLTableRowElement,
  actions: HTMLElement,
  user: User,
): void {
  const me = deps.session.user?.id;
  if (user.status === 'disabled' || user.id === me) {
    actions.replaceChildren(user.id === me ? el('span', { class: ui('muted') }, 'You') : '');
    return;
  }
  const disable = button('Disable', { variant: 'secondary', small: true });
  disable.setAttribute('aria-label', `Disable ${user.displayName}`);
  disable.addEventListener('click', () => confirmDisable(deps, tr, actions, user));
  actions.replaceChildren(disable);
}

function confirmDisable(
  deps: Deps,
  tr: HTMLTableRowElement,
  actions: HTMLElement,
  user: User,
): void {
  const confirmBtn = button(`Yes, disable`, { variant: 'danger', small: true });
  confirmBtn.setAttribute('aria-label', `Yes, disable ${user.displayName}`);
  const cancel = button('Cancel', { variant: 'ghost', small: true });
  const question = el(
    'span',
    { role: 'alert' },
    `Disable ${user.displayName}? They will be signed out. `,
  );
  actions.replaceChildren(question, confirmBtn, ' ', cancel);
  confirmBtn.focus();
  cancel.addEventListener('click', () => {
    renderActions(deps, tr, actions, user);
    (actions.querySelector('button') as HTMLElement | null)?.focus();
  });
  confirmBtn.addEventListener('click', () => {
    void (async () => {
      confirmBtn.disabled = true;
      try {
        const updated = await call(
          deps.http.api.POST('/api/v1/admin/users/{userId}/disable', {
            params: { path: { userId: user.id } },
          }),
        );
        tr.replaceWith(userRow(deps, updated));
        announce(`${updated.displayName} is disabled.`);
      } catch (err) {
        actions.replaceChildren(
          el('span', { role: 'alert' }, err instanceof ApiError ? err.userMessage : String(err)),
        );
      }
    })();
  });
}

/** The create-staff form; `created` puts the new user in the table. */
function staffForm(http: HttpClient, created: (user: User) => void): HTMLFormElement {
  const done = successRegion();
  const form = el(
    'form',
    {
      id: 'create-staff-form',
      class: ui('form'),
      novalidate: true,
      'aria-labelledby': 'create-staff-title',
    },
    formStatus(),
    field({ label: 'Name', name: 'displayName', required: true, autocomplete: 'off' }),
    field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off' }),
    field({
      label: 'Role',
      name: 'role',
      required: true,
      options: [
        { value: 'staff', label: 'Staff' },
        { value: 'admin', label: 'Admin' },
      ],
    }),
    field({
      label: 'Initial password',
      name: 'password',
      type: 'password',
      required: true,
      autocomplete: 'new-password',
      minlength: 8,
      hint: 'At least 8 characters; share it privately. They can change it after signing in.',
    }),
    el('div', { class: ui('actions') }, button('Create staff user', { type: 'submit' })),
    done,
  );
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    void (async () => {
      clearFormErrors(form);
      done.textContent = '';
      const data = new FormData(form);
      const get = (key: string): string => String(data.get(key) ?? '').trim();
      const role = get('role') === 'admin' ? 'admin' : 'staff';
      try {
        const user = await call(
          http.api.POST('/api/v1/admin/users', {
            body: {
              displayName: get('displayName'),
              email: get('email'),
              role,
              password: String(data.get('password') ?? ''),
            },
          }),
        );
        form.reset();
        created(user);
        done.textContent = `${user.displayName} (${user.email}) can now sign in as ${user.role}.`;
      } catch (err) {
        renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
        if (err instanceof ApiError && err.code === 'IDENTITY.EMAIL_TAKEN')
          showFieldError(
            form,
            form.elements.namedItem('email') as HTMLElement,
            'email',
            'A user with this email already exists.',
          );
        if (err instanceof ApiError && err.code === 'IDENTITY.PASSWORD_REJECTED')
          showFieldError(
            form,
            form.elements.namedItem('password') as HTMLElement,
            'password',
            err.detail ?? 'This password is too common.',
          );
      }
    })();
  });
  return form;
}

export function usersView(http: HttpClient, session: SessionStore) {
  const deps: Deps = { http, session };
  return async ({ main }: RouteContext): Promise<void> => {
    const tbody = el('tbody');
    const result = el('p', { class: ui('muted'), role: 'status', 'aria-live': 'polite' });
    const more = button('Load more', { variant: 'secondary' });
    more.hidden = true;
    let cursor: string | null = null;
    let count = 0;

    const load = async (): Promise<void> => {
      more.disabled = true;
      try {
        const page = await call(
          http.api.GET('/api/v1/admin/users', {
            params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } },
          }),
        );
        for (const item of page.items) tbody.append(userRow(deps, item));
        count += page.items.length;
        cursor = page.nextCursor;
        more.hidden = !cursor;
        result.textContent = `${count} user${count === 1 ? '' : 's'} shown${cursor ? '; more available' : ''}.`;
      } catch (err) {
        main.append(errorPanel(err));
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', () => void load());

    const form = staffForm(http, (created) => tbody.prepend(userRow(deps, created)));
    main.append(
      pageHead('Users'),
      el(
        'div',
        { class: ui('stack') },
        result,
        el(
          'div',
          { class: ui('tableWrap') },
          el(
            'table',
            { class: ui('table') },
            el('caption', { class: ui('srOnly') }, 'Users'),
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                ...['Name', 'Email', 'Role', 'Status', 'Created', 'Actions'].map((text) =>
                  el('th', { scope: 'col' }, text),
                ),
              ),
            ),
            tbody,
          ),
        ),
        el('div', { class: ui('actions') }, more),
        card(
          el('h2', { id: 'create-staff-title', class: ui('cardTitle') }, 'Create a staff user'),
          form,
        ),
      ),
    );
    await load();
  };
}
