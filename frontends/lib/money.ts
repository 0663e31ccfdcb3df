/** Minor units as money in the reader's locale, e.g. 4500 GBP → "£45.00". */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
    }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** "£6.50 a meal": the honest comparison between packs and plans of different sizes. */
export function formatPerMeal(
  priceMinor: number,
  meals: number,
  currency: string,
  locale?: string,
): string {
  if (!Number.isFinite(meals) || meals <= 0) return '';
  return `${formatMoney(Math.round(priceMinor / meals), currency, locale)} a meal`;
}

export type MoneyParse = { ok: true; minor: number } | { ok: false; error: string };

const MAJOR = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{0,2}))?$|^\.(\d{1,2})$/;

/**
 * What a person types as pounds ("12", "12.5", "£1,234.50") → integer pence, without ever going
 * through a float (0.1 + 0.2 stays exact). Rejects negatives, a third decimal and anything that is
 * not a plain amount, with a message meant to sit under the field.
 * @example parseMajorToMinor('£12.5') // { ok: true, minor: 1250 }
 */
export function parseMajorToMinor(
  input: string,
  limits: { min?: number; max?: number; currency?: string } = {},
): MoneyParse {
  const raw = input
    .trim()
    .replace(/^[£$€]\s*/, '')
    .replace(/\s+/g, '');
  if (raw === '') return { ok: false, error: 'Please enter an amount.' };
  if (raw.startsWith('-')) return { ok: false, error: 'The amount cannot be negative.' };
  const match = MAJOR.exec(raw);
  if (!match) {
    if (/^\d*\.\d{3,}$/.test(raw.replace(/,/g, '')))
      return { ok: false, error: 'Use at most two decimal places (pence).' };
    return { ok: false, error: 'Enter an amount like 12.50.' };
  }
  const whole = match[3] !== undefined ? '0' : match[1]!.replace(/,/g, '');
  const frac = (match[3] ?? match[2] ?? '').padEnd(2, '0');
  if (whole.length > 9) return { ok: false, error: 'That amount is too large.' };
  const minor = Number(whole) * 100 + Number(frac);
  const cur = limits.currency ?? 'gbp';
  if (limits.min !== undefined && minor < limits.min)
    return {
      ok: false,
      error: `The amount must be at least ${formatMoney(limits.min, cur, 'en-GB')}.`,
    };
  if (limits.max !== undefined && minor > limits.max)
    return {
      ok: false,
      error: `The amount can be at most ${formatMoney(limits.max, cur, 'en-GB')}.`,
    };
  return { ok: true, minor };
}

/** Integer pence as the plain figure a pounds input shows: 1250 → "12.50". */
export function minorToMajorInput(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(minor));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
