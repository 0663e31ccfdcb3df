import { dictionary } from '@zxcvbn-ts/language-common';

let cached: ReadonlySet<string> | undefined;

/** The ~49k most common passwords from zxcvbn-ts, lower-cased. */
export function commonPasswords(): ReadonlySet<string> {
  cached ??= new Set(
    (dictionary['passwords-common'] as string[]).map((path) => path.toLowerCase()),
  );
  return cached;
}
