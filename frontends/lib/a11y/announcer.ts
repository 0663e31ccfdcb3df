/**
 * One polite and one assertive live region per page, created once and visually hidden, so any
 * code can announce results ("3 enquiries loaded") and errors without owning a region.
 */
let polite: HTMLElement | null = null;
let assertive: HTMLElement | null = null;

function region(kind: 'polite' | 'assertive'): HTMLElement {
  const el = document.createElement('div');
  el.setAttribute('aria-live', kind);
  el.setAttribute('aria-atomic', 'true');
  if (kind === 'assertive') el.setAttribute('role', 'alert');
  else el.setAttribute('role', 'status');
  el.dataset.announcer = kind;
  // Visually hidden but read: the same recipe as the sr-only utility in globals.css.
  Object.assign(el.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: '0',
  });
  document.body.append(el);
  return el;
}

export function announce(message: string, kind: 'polite' | 'assertive' = 'polite'): void {
  const el =
    kind === 'polite' ? (polite ??= region('polite')) : (assertive ??= region('assertive'));
  // Clearing first makes a repeated identical message be read again.
  el.textContent = '';
  window.setTimeout(() => {
    el.textContent = message;
  }, 50);
}
