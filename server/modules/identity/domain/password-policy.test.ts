import { describe, expect, it } from 'vitest';
import { checkPassword, type PasswordPolicy } from './password-policy.js';

const policy: PasswordPolicy = {
  minLength: 8,
  maxLength: 128,
  commonPasswords: new Set(['password1', 'iloveyou2']),
};

describe('password policy', () => {
  it('when a long passphrase has no composition at all, then it is accepted', () => {
    expect(checkPassword(policy, 'correct horse battery staple', 'ada@example.com')).toEqual({
      ok: true,
    });
  });
  it('when the password has 7 characters, then it is rejected; with 8, then it is accepted', () => {
    expect(checkPassword(policy, 'abcdefg', 'ada@example.com').ok).toBe(false);
    expect(checkPassword(policy, 'abcdefgh', 'ada@example.com').ok).toBe(true);
  });
  it('when the password is longer than 128 characters, then it is rejected', () => {
    expect(checkPassword(policy, 'x'.repeat(128), 'ada@example.com').ok).toBe(true);
    expect(checkPassword(policy, 'x'.repeat(129), 'ada@example.com').ok).toBe(false);
  });
  it('when the length counts code points, then 8 emoji are 8 characters', () => {
    expect(checkPassword(policy, '🍲'.repeat(8), 'ada@example.com').ok).toBe(true);
  });
  it('when the password is on the common list in any case, then it is rejected', () => {
    expect(checkPassword(policy, 'PassWord1', 'ada@example.com')).toEqual({
      ok: false,
      reason: 'This password is too common.',
    });
  });
  it('when the password equals or contains the e-mail local part, then it is rejected', () => {
    expect(checkPassword(policy, 'grace.hopper', 'Grace.Hopper@example.com').ok).toBe(false);
    expect(checkPassword(policy, 'my name is GRACE.HOPPER!', 'grace.hopper@example.com').ok).toBe(
      false,
    );
    expect(checkPassword(policy, 'x grace.hopper@example.com', 'grace.hopper@example.com').ok).toBe(
      false,
    );
  });
  it('when the local part is shorter than 3 characters, then containing it is allowed', () => {
    expect(checkPassword(policy, 'a long passphrase', 'al@example.com').ok).toBe(true);
  });
});
