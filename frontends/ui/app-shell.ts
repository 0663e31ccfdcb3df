import type { SessionStore, User } from '../lib/session.js';
import { ApiError } from '../lib/problem.js';
import { focusElement, announce } from '../lib/a11y/index.js';
import { el } from './dom.js';
import { brand, button, card, skipLink, themeToggle, ui, uis } from './components.js';

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

interface Shell {
  nav: HTMLElement;
  userBox: HTMLElement;
  main: HTMLElement;
}

function buildShell(opts: AppOptions): Shell {
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
  return { nav, userBox, main };
}

function renderChrome(shell: Shell, opts: AppOptions, user: User | null, path: string): void {
  shell.nav.replaceChildren(
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
  shell.userBox.replaceChildren(
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

function runLeaving(leaving: Array<() => void>): void {
  for (const fn of leaving.splice(0)) {
    try {
      fn();
    } catch {
      // A page's cleanup must not stop the next page from rendering.
    }
  }
}

function makeRouter(shell: Shell, opts: AppOptions): () => Promise<void> {
  const { main } = shell;
  let first = true;
  const leaving: Array<() => void> = [];
  return async function route(): Promise<void> {
    const { path, query } = parseHash();
    const user = opts.session.user;
    const found = opts.routes
      .map((route) => ({ r: route, params: match(route.pattern, path) }))
      .find((item) => item.params !== null);
    if (!found) return navigate(user ? opts.home : '/login');
    if (!found.r.public && !user) return navigate(`/login?next=${encodeURIComponent(path)}`);
    if (found.r.public && user) return navigate(opts.home);
    renderChrome(shell, opts, user, path);
    document.title = `${found.r.title} · Balance Kitchen ${opts.tag}`;
    runLeaving(leaving);
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
  };
}

/** Hash-routed shell of an authenticated surface: header, nav, sign-out, route guard, focus on route change. */
export function startApp(opts: AppOptions): void {
  const shell = buildShell(opts);
  const { main } = shell;
  const route = makeRouter(shell, opts);
  opts.session.subscribe(() => renderChrome(shell, opts, opts.session.user, parseHash().path));
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
