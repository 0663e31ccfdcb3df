import type { SessionStore, User } from '../lib/session.js';
import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import {
  clearFormErrors,
  renderFormErrors,
  showFieldError,
  showFormMessage,
} from '../lib/form-errors.js';
import { el } from './dom.js';
import { button, card, field, formStatus, successRegion, ui } from './components.js';
import type { AppRoute } from './app-shell.js';

function focusFirstInvalid(form: HTMLFormElement): void {
  (form.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
}

function loginForm(submit: HTMLButtonElement): HTMLFormElement {
  return el(
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
}

/** Marks the empty sign-in fields; true when both were filled in. */
function checkLoginFields(form: HTMLFormElement, email: string, password: string): boolean {
  if (email && password) return true;
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
  focusFirstInvalid(form);
  return false;
}

async function submitLogin(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  session: SessionStore,
  onSignedIn: () => void,
): Promise<void> {
  clearFormErrors(form);
  const data = new FormData(form);
  const email = String(data.get('email') ?? '').trim();
  const password = String(data.get('password') ?? '');
  if (!checkLoginFields(form, email, password)) return;
  submit.disabled = true;
  try {
    const user = await session.login(email, password);
    announce(`Signed in as ${user.displayName}.`);
    onSignedIn();
  } catch (err) {
    const error =
      err instanceof ApiError && err.code === 'AUTH.INVALID_CREDENTIALS'
        ? new Error('That email and password do not match an account here.')
        : err;
    renderFormErrors(form, error instanceof Error ? error : new Error(String(error)));
  } finally {
    submit.disabled = false;
  }
}

/** The sign-in page of a surface. */
export function loginView(
  session: SessionStore,
  heading: string,
  intro: string,
): AppRoute['render'] {
  return ({ main, query, navigate: go }) => {
    const submit = button('Sign in', { type: 'submit' });
    const form = loginForm(submit);
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      void submitLogin(form, submit, session, () => {
        const next = query.get('next');
        go(next && next.startsWith('/') && next !== '/login' ? next : '/');
      });
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

function passwordFields(submit: HTMLButtonElement, done: HTMLElement): HTMLFormElement {
  return el(
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
}

function fieldOf(form: HTMLFormElement, name: string): HTMLElement {
  return form.elements.namedItem(name) as HTMLElement;
}

/** Marks the password fields that fail the local checks; true when all pass. */
function checkPasswordFields(
  form: HTMLFormElement,
  current: string,
  next: string,
  confirm: string,
): boolean {
  let bad = false;
  const mark = (name: string, message: string): void => {
    showFieldError(form, fieldOf(form, name), name, message);
    bad = true;
  };
  if (!current) mark('currentPassword', 'Please enter your current password.');
  if (next.length < 8) mark('newPassword', 'Use at least 8 characters.');
  if (next !== confirm) mark('confirmPassword', 'The two new passwords differ.');
  if (!bad) return true;
  showFormMessage(form, 'Please correct the highlighted fields.');
  focusFirstInvalid(form);
  return false;
}

function showPasswordError(form: HTMLFormElement, err: unknown): void {
  if (err instanceof ApiError && err.code === 'IDENTITY.CURRENT_PASSWORD_WRONG') {
    renderFormErrors(form, err);
    showFieldError(
      form,
      fieldOf(form, 'currentPassword'),
      'currentPassword',
      'This is not your current password.',
    );
    fieldOf(form, 'currentPassword').focus();
  } else if (err instanceof ApiError && err.code === 'IDENTITY.PASSWORD_REJECTED') {
    renderFormErrors(form, err);
    showFieldError(
      form,
      fieldOf(form, 'newPassword'),
      'newPassword',
      err.detail ?? 'This password is too common. Please choose another.',
    );
    fieldOf(form, 'newPassword').focus();
  } else {
    renderFormErrors(form, err instanceof Error ? err : new Error(String(err)));
  }
}

async function submitPassword(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  done: HTMLElement,
  session: SessionStore,
): Promise<void> {
  clearFormErrors(form);
  done.textContent = '';
  const data = new FormData(form);
  const current = String(data.get('currentPassword') ?? '');
  const next = String(data.get('newPassword') ?? '');
  const confirm = String(data.get('confirmPassword') ?? '');
  if (!checkPasswordFields(form, current, next, confirm)) return;
  submit.disabled = true;
  try {
    await session.changePassword(current, next);
    form.reset();
    done.textContent = 'Your password was changed. Any other signed-in sessions were signed out.';
  } catch (err) {
    showPasswordError(form, err);
  } finally {
    submit.disabled = false;
  }
}

/** Password change with field errors: 400 from pointers, 422 codes mapped to their field. */
export function passwordForm(session: SessionStore): HTMLElement {
  const done = successRegion();
  const submit = button('Change password', { type: 'submit' });
  const form = passwordFields(submit, done);
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    void submitPassword(form, submit, done, session);
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
