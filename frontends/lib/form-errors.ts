import { ApiError, type FieldErrors } from './problem.js';
import { mustClass } from './css-modules.js';
import styles from './form-errors.module.css';

/**
 * Renders an ApiError's field messages next to the matching controls of `form` (by `name`), marks
 * them `aria-invalid` and links the message with `aria-describedby`; anything not tied to a field
 * goes to the form's `[data-form-status]` region (an `aria-live` alert). Focuses the first invalid
 * control so keyboard and screen-reader users land on the problem.
 */
export function renderFormErrors(
  form: HTMLFormElement,
  error: ApiError | Error,
  options: { focus?: boolean } = {},
): void {
  clearFormErrors(form);
  const fieldErrors: FieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const unplaced: string[] = error instanceof ApiError ? [...error.formErrors] : [];
  let first: HTMLElement | null = null;
  for (const [name, messages] of Object.entries(fieldErrors)) {
    const control = findControl(form, name);
    if (!control) {
      unplaced.push(...messages.map((message) => `${name}: ${message}`));
      continue;
    }
    showFieldError(form, control, name, messages.join(' '));
    first ??= control;
  }
  const status = form.querySelector<HTMLElement>('[data-form-status]');
  const summary =
    error instanceof ApiError && Object.keys(fieldErrors).length > 0 && unplaced.length === 0
      ? 'Please correct the highlighted fields.'
      : [error instanceof ApiError ? error.userMessage : error.message, ...unplaced].join(' ');
  if (status) {
    status.textContent = summary;
    status.hidden = false;
    status.className = mustClass(styles, 'formError');
  }
  if (options.focus !== false) (first ?? status)?.focus?.();
}

/** Shows a form-level message in the form's `[data-form-status]` alert region. */
export function showFormMessage(form: HTMLFormElement, message: string): HTMLElement | null {
  const status = form.querySelector<HTMLElement>('[data-form-status]');
  if (status) {
    status.textContent = message;
    status.hidden = false;
    status.className = mustClass(styles, 'formError');
  }
  return status;
}

/** Shows one message under one control (also for client-side checks). */
export function showFieldError(
  form: HTMLFormElement,
  control: HTMLElement,
  name: string,
  message: string,
): void {
  const id = `${form.id || 'form'}-${name.replace(/[^a-z0-9_-]/gi, '-')}-error`;
  let slot = form.querySelector<HTMLElement>(`[data-error-for="${cssEscape(name)}"]`);
  if (!slot) {
    slot = document.createElement('p');
    slot.dataset.errorFor = name;
    control.insertAdjacentElement('afterend', slot);
  }
  slot.id = id;
  slot.className = mustClass(styles, 'fieldError');
  slot.textContent = message;
  slot.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  const described = new Set(
    (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean),
  );
  described.add(id);
  control.setAttribute('aria-describedby', [...described].join(' '));
}

export function clearFormErrors(form: HTMLFormElement): void {
  for (const slot of form.querySelectorAll<HTMLElement>('[data-error-for]')) {
    const control = findControl(form, slot.dataset.errorFor ?? '');
    if (control) {
      control.removeAttribute('aria-invalid');
      const rest = (control.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter((text) => text && text !== slot.id);
      if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
      else control.removeAttribute('aria-describedby');
    }
    slot.textContent = '';
    slot.hidden = true;
  }
  const status = form.querySelector<HTMLElement>('[data-form-status]');
  if (status) {
    status.textContent = '';
    status.hidden = true;
  }
}

function findControl(form: HTMLFormElement, name: string): HTMLElement | null {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLElement) return el;
  if (el && 'length' in el && el.length > 0 && el[0] instanceof HTMLElement) return el[0];
  return null;
}

function cssEscape(value: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(value) : value.replace(/"/g, '\\"');
}
