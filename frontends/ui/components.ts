import { mustClass, mustClasses } from '../lib/css-modules.js';
import { currentTheme, toggleTheme } from '../lib/theme.js';
import { el, uniqueId, type Child } from './dom.js';
import styles from './ui.module.css';

export const ui = (name: string): string => mustClass(styles, name);
export const uis = (...names: Array<string | false | null | undefined>): string =>
  mustClasses(styles, ...names);

export function skipLink(targetId = 'main'): HTMLAnchorElement {
  return el('a', { class: ui('skipLink'), href: `#${targetId}` }, 'Skip to main content');
}

export function brand(href: string, tag?: string): HTMLAnchorElement {
  return el(
    'a',
    { class: ui('brand'), href, 'aria-label': `Balance Kitchen${tag ? ` ${tag}` : ''} home` },
    el('span', { class: ui('brandMark'), 'aria-hidden': 'true' }, 'BK'),
    el('span', null, 'Balance Kitchen'),
    tag ? el('span', { class: ui('brandTag') }, tag) : null,
  );
}

/** The light/dark switch: a toggle button whose pressed state says "dark mode is on". */
export function themeToggle(): HTMLButtonElement {
  const btn = el('button', {
    type: 'button',
    class: ui('iconButton'),
    dataset: { themeToggle: '' },
  });
  const render = (): void => {
    const dark = currentTheme() === 'dark';
    btn.setAttribute('aria-pressed', String(dark));
    btn.setAttribute('aria-label', 'Dark mode');
    btn.title = dark ? 'Switch to light mode' : 'Switch to dark mode';
    btn.textContent = dark ? '☀' : '☾';
  };
  btn.addEventListener('click', () => {
    toggleTheme();
    render();
  });
  render();
  return btn;
}

export function button(
  label: Child,
  opts: {
    variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
    small?: boolean;
    type?: 'button' | 'submit';
    onClick?: () => void;
  } = {},
): HTMLButtonElement {
  const variant = opts.variant ?? 'primary';
  return el(
    'button',
    {
      type: opts.type ?? 'button',
      class: uis('button', variant !== 'primary' && variant, opts.small && 'small'),
      on: opts.onClick ? { click: opts.onClick } : {},
    },
    label,
  );
}

export interface FieldOptions {
  label: string;
  name: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  multiline?: boolean;
  value?: string;
  inputmode?: string;
  minlength?: number;
  maxlength?: number;
  options?: Array<{ value: string; label: string }>;
}

/** Label, control, optional hint, and the slot where field errors appear. */
export function field(fieldOptions: FieldOptions): HTMLDivElement {
  const id = uniqueId(`f-${fieldOptions.name}`);
  const hintId = fieldOptions.hint ? `${id}-hint` : undefined;
  const common = {
    id,
    name: fieldOptions.name,
    class: ui('input'),
    required: fieldOptions.required ?? false,
    autocomplete: fieldOptions.autocomplete,
    'aria-describedby': hintId,
  };
  const control = fieldOptions.options
    ? el(
        'select',
        common,
        ...fieldOptions.options.map((opt) =>
          el('option', { value: opt.value, selected: opt.value === fieldOptions.value }, opt.label),
        ),
      )
    : fieldOptions.multiline
      ? el(
          'textarea',
          {
            ...common,
            rows: 5,
            maxlength: fieldOptions.maxlength,
            minlength: fieldOptions.minlength,
          },
          fieldOptions.value ?? '',
        )
      : el('input', {
          ...common,
          type: fieldOptions.type ?? 'text',
          inputmode: fieldOptions.inputmode,
          value: fieldOptions.value,
          maxlength: fieldOptions.maxlength,
          minlength: fieldOptions.minlength,
        });
  return el(
    'div',
    { class: ui('field') },
    el(
      'label',
      { class: ui('label'), for: id },
      fieldOptions.label,
      fieldOptions.required ? null : el('span', { class: ui('optional') }, ' (optional)'),
    ),
    hintId ? el('p', { class: ui('hint'), id: hintId }, fieldOptions.hint) : null,
    control,
    el('p', { dataset: { errorFor: fieldOptions.name }, hidden: true }),
  );
}

/** Where form-level errors go (see lib/form-errors.ts): announced, focusable. */
export function formStatus(): HTMLParagraphElement {
  return el('p', { dataset: { formStatus: '' }, role: 'alert', tabindex: '-1', hidden: true });
}

/** A polite live region for results ("Thanks, we got your message"). */
export function successRegion(): HTMLParagraphElement {
  return el('p', { class: ui('success'), role: 'status', 'aria-live': 'polite' });
}

export function card(...children: Child[]): HTMLElement {
  return el('section', { class: ui('card') }, ...children);
}

/** A clearly-labelled slot for a feature the contract does not have yet. Nothing is faked. */
export function placeholder(
  title: string,
  tag: string,
  text: string,
  headingLevel: 'h2' | 'h3' = 'h2',
): HTMLElement {
  return el(
    'section',
    { class: uis('card', 'placeholder'), 'aria-label': `${title} (${tag})` },
    el('span', { class: ui('comingTag') }, tag),
    el(headingLevel, { class: ui('cardTitle') }, title),
    el('p', { class: ui('muted') }, text),
  );
}

const BADGE: Record<string, string> = {
  received: 'badgeReceived',
  contacted: 'badgeContacted',
  converted: 'badgeConverted',
  closed: 'badgeClosed',
  active: 'badgeActive',
  disabled: 'badgeDisabled',
  waiting: 'badgeWaiting',
  answered: 'badgeAnswered',
  paid: 'badgePaid',
  replayed: 'badgeReplayed',
  failed: 'badgeFailed',
};
export function badge(value: string): HTMLSpanElement {
  return el('span', { class: uis('badge', BADGE[value]) }, value.replace(/_/g, ' '));
}
