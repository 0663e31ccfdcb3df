/** A CSS Module's class map as Vite hands it over. */
export type CssModule = Readonly<Record<string, string>>;

/**
 * The hashed class name of `name` in a CSS Module; throws when the module has no such class, so a
 * renamed or misspelt class fails loudly instead of silently unstyling a page.
 * @example el.className = mustClass(styles, 'card');
 */
export function mustClass(styles: CssModule, name: string): string {
  const value = Object.prototype.hasOwnProperty.call(styles, name) ? styles[name] : undefined;
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `CSS Module has no class "${name}" (known: ${Object.keys(styles).join(', ') || 'none'})`,
    );
  }
  return value;
}

/** Several classes at once, each checked; falsy entries are skipped. */
export function mustClasses(
  styles: CssModule,
  ...names: Array<string | false | null | undefined>
): string {
  return names
    .filter((count): count is string => typeof count === 'string' && count !== '')
    .map((count) => mustClass(styles, count))
    .join(' ');
}
