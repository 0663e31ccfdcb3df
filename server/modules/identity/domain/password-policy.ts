/**
 * ASVS 2.1: length only (8..128), no composition rules, no common passwords, nothing built from
 * the account's own e-mail address.
 */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** Lower-cased common passwords. */
  commonPasswords: ReadonlySet<string>;
}

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

/** Local parts shorter than this are too likely to occur by chance inside a passphrase. */
const MIN_LOCAL_PART_CHECKED = 3;

export function checkPassword(
  policy: PasswordPolicy,
  password: string,
  email: string,
): PasswordVerdict {
  const length = [...password].length;
  if (length < policy.minLength)
    return { ok: false, reason: `Use at least ${policy.minLength} characters.` };
  if (length > policy.maxLength)
    return { ok: false, reason: `Use at most ${policy.maxLength} characters.` };
  const lower = password.toLowerCase();
  if (policy.commonPasswords.has(lower))
    return { ok: false, reason: 'This password is too common.' };
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (
    lower.includes(address) ||
    (local.length >= MIN_LOCAL_PART_CHECKED && lower.includes(local))
  ) {
    return { ok: false, reason: 'The password must not contain your e-mail address.' };
  }
  return { ok: true };
}
