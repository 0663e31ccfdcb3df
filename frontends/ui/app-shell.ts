import type { SessionStore, User } from '../lib/session.js';
import { ApiError } from '../lib/problem.js';
import { focusElement, announce } from '../lib/a11y/index.js';
import {
  clearFormErrors,
  renderFormErrors,
  showFieldError,
  showFormMessage,
} from '../lib/form-errors.js';
import { el } from './dom.js';
import {
  brand,
  button,
  card,
  field,
  formStatus,
  skipLink,
  successRegion,
  themeToggle,
  ui,
  uis,
} from './components.js';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  main: HTMLElement;
  user: User | null;
  navigate(path: string): void;
  /** Runs when the user leaves this route (sockets, timers and listeners of the page stop here). */
  onLeave(fn: () => void): void;
}

export interface AppRoute {
  pattern: string;
  title: string;
  /** Reachable signed out (the login page). */
  public?: boolean;
  render(ctx: RouteContext): void | Promise<void>;
}

export interface AppOptions {
  tag: string;
  session: SessionStore;
  routes: AppRoute[];
  nav: Array<[path: string, label: string]>;
  home: string;
}

function parseHash(): { path: string; query: URLSearchParams } {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', qs = ''] = raw.split('?');
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(qs) };
}

function match(pattern: string, path: string): Record<string, string> | null {
  const part = pattern.split('/').filter(Boolean);
  const text = path.split('/').filter(Boolean);
  if (part.length !== text.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < part.length; index += 1) {
    const seg = part[index]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(text[index]!);
    else if (seg !== text[index]) return null;
  }
  return params;
}

export function navigate(path: string): void {
  if (location.hash === `#${path}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = path;
}

/** Hash-routed shell of an authenticated surface: header, nav, sign-out, route guard, focus on route change. */
export function startApp(opts: AppOptions): void {
  const app = document.getElementById('app')!;
  const nav = el('nav', { class: ui('shellNav'), 'aria-label': 'Main' });
  const userBox = el('div', { class: ui('shellUser') });
  // The account controls and the theme toggle stay together, so a narrow screen wraps the nav instead.
  const tools = el('div', { class: ui('shellTools') }, userBox, themeToggle());
  const header = el(
    'header',
    { class: ui('shellHeader') },
    el(
      'div',
      { class: uis('container', 'shellBar') },
      brand(`#${opts.home}`, opts.tag),
      nav,
      tools,
    ),
  );
  const main = el('main', { id: 'main', class: uis('container', 'shellMain'), tabindex: '-1' });
  app.replaceChildren(skipLink('main'), header, main);
  let first = true;
  let leaving: Array<() => void> = [];

  function renderChrome(user: User | null, path: string): void {
    nav.replaceChildren(
      ...(user
        ? opts.nav.map(([href, label]) =>
            el(
              'a',
              {
                href: `#${href}`,
                'aria-current': path === href || path.startsWith(`${href}/`) ? 'page' : undefined,
              },
              label,
            ),
          )
        : []),
    );
    userBox.replaceChildren(
      ...(user
        ? [
            el('span', { class: uis('muted', 'shellUserName') }, user.displayName),
            button('Sign out', {
              variant: 'secondary',
              small: true,
              onClick: () => {
                void opts.session.logout().finally(() => {
                  announce('You are signed out.');
                  navigate('/login');
                });
              },
            }),
          ]
        : []),
    );
  }

  async function route(): Promise<void> {
    const { path, query } = parseHash();
    const user = opts.session.user;
    const found = opts.routes
      .map((route) => ({ r: route, params: match(route.pattern, path) }))
      .find((item) => item.params !== null);
    if (!found) return navigate(user ? opts.home : '/login');
    if (!found.r.public && !user) return navigate(`/login?next=${encodeURIComponent(path)}`);
    if (found.r.public && user) return navigate(opts.home);
    renderChrome(user, path);
    document.title = `${found.r.title} · Balance Kitchen ${opts.tag}`;
    for (const fn of leaving.splice(0)) {
      try {
        fn();
      } catch {
        // A page's cleanup must not stop the next page from rendering.
      }
    }
    main.replaceChildren();
    try {
      await found.r.render({
        params: found.params ?? {},
        query,
        main,
        user,
        navigate,
        onLeave: (fn) => leaving.push(fn),
      });
    } catch (err) {
      main.replaceChildren(errorPanel(err));
    }
    if (!first) focusElement(main.querySelector('h1') ?? main, { preventScroll: false });
    first = false;
  }

  opts.session.subscribe(() => renderChrome(opts.session.user, parseHash().path));
  window.addEventListener('hashchange', () => void route());
  void (async () => {
    main.replaceChildren(el('p', { class: ui('muted'), role: 'status' }, 'Loading…'));
    try {
      await opts.session.restore();
    } catch (err) {
      main.replaceChildren(errorPanel(err, () => location.reload()));
      return;
    }
    await route();
  })();
}

export function errorPanel(err: unknown, retry?: () => void): HTMLElement {
  const message =
    err instanceof ApiError ? err.userMessage : err instanceof Error ? err.message : String(err);
  return card(
    el('h1', { class: ui('pageTitle') }, 'Something went wrong'),
    el('p', { role: 'alert' }, message),
    err instanceof ApiError && err.requestId
      ? el(
          'p',
          { class: ui('muted') },
          'Reference: ',
          el('code', { class: ui('mono') }, err.requestId),
        )
      : null,
    retry ? button('Try again', { onClick: retry }) : null,
  );
}

export function pageHead(title: string, ...extra: Array<Node | string | null>): HTMLElement {
  return el(
    'div',
    { class: ui('pageHead') },
    el('h1', { class: ui('pageTitle') }, title),
    ...extra,
  );
}

/** The sign-in page of a surface. */
export function loginView(
  session: SessionStore,
  heading: string,
  intro: string,
): AppRoute['render'] {
  return ({ main, query, navigate: go }) => {
    const submit = button('Sign in', { type: 'submit' });
    const form = el(
      'form',
      { id: 'login-form', class: ui('form'), novalidate: true, 'aria-labelledby': 'login-title' },
      formStatus(),
      field({
        label: 'Email',
        name: 'email',
        type: 'email',
        required: true,
        autocomplete: 'username',
        inputmode: 'email',
      }),
      field({
        label: 'Password',
        name: 'password',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
      }),
      el('div', { class: ui('actions') }, submit),
    );
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      void (async () => {
        clearFormErrors(form);
        const data = new FormData(form);
        const email = String(data.get('email') ?? '').trim();
        const password = String(data.get('password') ?? '');
        if (!email || !password) {
          if (!email)
            showFieldError(
              form,
              form.elements.namedItem('email') as HTMLElement,
              'email',
              'Please enter your email.',
            );
          if (!password)
            showFieldError(
              form,
              form.elements.namedItem('password') as HTMLElement,
              'password',
              'Please enter your password.',
            );
          showFormMessage(form, 'Please fill in both fields.');
          (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
          return;
        }
        submit.disabled = true;
        try {
          const user = await session.login(email, password);
          announce(`Signed in as ${user.displayName}.`);
          const next = query.get('next');
          go(next && next.startsWith('/') && next !== '/login' ? next : '/');
        } catch (err) {
          const error =
            err instanceof ApiError && err.code === 'AUTH.INVALID_CREDENTIALS'
              ? new Error('That email and password do not match an account here.')
              : err;
          renderFormErrors(form, error instanceof Error ? error : new Error(String(error)));
        } finally {
          submit.disabled = false;
        }
      })();
    });
    main.append(
      el(
        'div',
        { class: ui('authWrap') },
        el(
          'div',
          { class: ui('authCard') },
          card(
            el('h1', { id: 'login-title', class: ui('pageTitle') }, heading),
            el('p', { class: ui('muted') }, intro),
            form,
          ),
        ),
      ),
    );
    (form.elements.namedItem('email') as HTMLInputElement).focus();
  };
}

/** Password change with field errors: 400 from pointers, 422 codes mapped to their field. */
export function passwordForm(session: SessionStore): HTMLElement {
  const done = successRegion();
  const submit = button('Change password', { type: 'submit' });
  const form = el(
    'form',
    {
      id: 'password-form',
      class: ui('form'),
      novalidate: true,
      'aria-labelledby': 'password-title',
    },
    formStatus(),
    field({
      label: 'Current password',
      name: 'currentPassword',
      type: 'password',
      required: true,
      autocomplete: 'current-password',
    }),
    field({
      label: 'New password',
      name: 'newPassword',
      type: 'password',
      required: true,
      autocomplete: 'new-password',
      minlength: 8,
      maxlength: 128,
      hint: 'At least 8 characters. A short phrase is easier to remember than symbols.',
    }),
    field({
      label: 'Repeat new password',
      name: 'confirmPassword',
      type: 'password',
      required: true,
      autocomplete: 'new-password',
    }),
    el('div', { class: ui('actions') }, submit),
    done,
  );
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    void (async () => {
      clearFormErrors(form);
      done.textContent = '';
      const data = new FormData(form);
      const current = String(data.get('currentPassword') ?? '');
      const next = String(data.get('newPassword') ?? '');
      const confirm = String(data.get('confirmPassword') ?? '');
      const el = (count: string): HTMLElement => form.elements.namedItem(count) as HTMLElement;
      let bad = false;
      if (!current)
        (showFieldError(
          form,
          el('currentPassword'),
          'currentPassword',
          'Please enter your current password.',
        ),
          (bad = true));
      if (next.length < 8)
        (showFieldError(form, el('newPassword'), 'newPassword', 'Use at least 8 characters.'),
          (bad = true));
      if (next !== confirm)
        (showFieldError(
          form,
          el('confirmPassword'),
          'confirmPassword',
          'The two new passwords differ.',
        ),
          (bad = true));
      if (bad) {
        showFormMessage(form, 'Please correct the highlighted fields.');
        (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
        return;
      }
      submit.disabled = true;
      try {
        await session.changePassword(current, next);
        form.reset();
        done.textContent =
          'Your password was changed. Any other signed-in sessions were signed out.';
      } catch (err) {
        if (err instanceof ApiError && err.code === 'IDENTITY.CURRENT_PASSWORD_WRONG') {
          renderFormErrors(form, err);
          showFieldError(
            form,
            el('currentPassword'),
            'currentPassword',
            'This is not your current password.',
          );
          el('currentPassword').focus();
        } else if (err instanceof ApiError && err.code === 'IDENTITY.PASSWORD_REJECTED') {
          renderFormErrors(form, err);
          showFieldError(
            form,
            el('newPassword'),
            'newPassword',
            err.detail ?? 'This password is too common. Please choose another.',
          );
          el('newPassword').focus();
        } else {
          renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
        }
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return card(el('h2', { id: 'password-title', class: ui('cardTitle') }, 'Change password'), form);
}

export function accountCard(user: User): HTMLElement {
  return card(
    el('h2', { class: ui('cardTitle') }, 'Your account'),
    el(
      'dl',
      { class: ui('dl') },
      el('dt', null, 'Name'),
      el('dd', null, user.displayName),
      el('dt', null, 'Email'),
      el('dd', null, user.email),
      el('dt', null, 'Role'),
      el('dd', null, user.role.replace('_', ' ')),
      el('dt', null, 'Member since'),
      el('dd', null, new Date(user.createdAt).toLocaleDateString(undefined, { dateStyle: 'long' })),
    ),
  );
}
