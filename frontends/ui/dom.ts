export type Child = Node | string | number | null | undefined | false;
export type Props = {
  class?: string | undefined;
  dataset?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
} & Record<string, unknown>;

/**
 * Creates an element: attributes from `props` (true → present, false/null/undefined → absent),
 * listeners from `props.on`, children appended as nodes or text (never as HTML).
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (
        key === 'on' ||
        key === 'dataset' ||
        value === undefined ||
        value === null ||
        value === false
      )
        continue;
      if (key === 'class') el.className = String(value);
      else if (key === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    if (props.dataset) Object.assign(el.dataset, props.dataset);
    if (props.on) {
      for (const [type, fn] of Object.entries(props.on))
        if (fn) el.addEventListener(type, fn as EventListener);
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const item of children) {
    if (item === null || item === undefined || item === false) continue;
    el.append(item instanceof Node ? item : document.createTextNode(String(item)));
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

let uid = 0;
/** A page-unique id for label/description wiring. */
export function uniqueId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

export function formatDateTime(iso: string): string {
  const data = new Date(iso);
  if (Number.isNaN(data.getTime())) return iso;
  return data.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
