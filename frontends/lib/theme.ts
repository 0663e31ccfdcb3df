export type Theme = 'light' | 'dark';
export const THEME_KEY = 'bk-theme';

/** The stored choice, else the system preference. */
export function preferredTheme(
  storage: Pick<Storage, 'getItem'> | null,
  prefersDark: boolean,
): Theme {
  let stored: string | null;
  try {
    stored = storage?.getItem(THEME_KEY) ?? null;
  } catch {
    stored = null;
  }
  if (stored === 'light' || stored === 'dark') return stored;
  return prefersDark ? 'dark' : 'light';
}

function systemDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

/** Sets `<html data-theme>` from storage or the system, and follows the system until the user picks. */
export function initTheme(): Theme {
  const theme = preferredTheme(safeStorage(), systemDark());
  applyTheme(theme);
  if (typeof matchMedia === 'function') {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (mediaQueryListEvent) => {
      if (!safeStorage()?.getItem(THEME_KEY))
        applyTheme(mediaQueryListEvent.matches ? 'dark' : 'light');
    });
  }
  return theme;
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
  applyTheme(next);
  try {
    safeStorage()?.setItem(THEME_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  return next;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
