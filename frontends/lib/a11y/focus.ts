/**
 * Moves focus to an element that is not natively focusable (a heading or a region) without adding
 * it to the tab order: used after route changes so screen readers start at the new content.
 */
export function focusElement(
  el: HTMLElement | null,
  options: { preventScroll?: boolean } = {},
): void {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && !isNativelyFocusable(el)) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: options.preventScroll ?? false });
}

export function isNativelyFocusable(el: Element): boolean {
  return el.matches('a[href], button, input, select, textarea, summary, [contenteditable="true"]');
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusableWithin(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden]'));
}

/**
 * Closes a non-modal panel on Escape and returns focus to the control that opened it.
 * Returns a function that removes the listener.
 */
export function escapeToClose(
  panel: HTMLElement,
  close: () => void,
  returnTo: HTMLElement,
): () => void {
  const onKey = (keyboardEvent: KeyboardEvent): void => {
    if (keyboardEvent.key === 'Escape') {
      keyboardEvent.stopPropagation();
      close();
      returnTo.focus();
    }
  };
  panel.addEventListener('keydown', onKey);
  return () => panel.removeEventListener('keydown', onKey);
}
