import { describe, expect, it } from 'vitest';
import { needsRehash, OWASP_ARGON2ID, parsePhc } from './password-hash.js';

const OWASP = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';

describe('argon2 PHC parameters', () => {
  it('when a PHC string is well formed, then its algorithm, version and costs are read', () => {
    expect(parsePhc(OWASP)).toEqual({
      algorithm: 'argon2id',
      version: 19,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
  });
  it('when the string is not PHC, then it is null', () => {
    expect(parsePhc('plaintext')).toBeNull();
    expect(parsePhc('$argon2id$v=19$m=x,t=2,p=1$a$b')).toBeNull();
    expect(parsePhc('$argon2id$v=19$t=2,p=1$a$b')).toBeNull();
  });
  it('when the hash meets the policy, then it needs no rehash', () => {
    expect(needsRehash(OWASP, OWASP_ARGON2ID)).toBe(false);
  });
  it('when memory, time, version or algorithm is below the policy, then it needs a rehash', () => {
    expect(needsRehash(OWASP.replace('m=19456', 'm=4096'), OWASP_ARGON2ID)).toBe(true);
    expect(needsRehash(OWASP.replace('t=2', 't=1'), OWASP_ARGON2ID)).toBe(true);
    expect(needsRehash(OWASP.replace('v=19', 'v=16'), OWASP_ARGON2ID)).toBe(true);
    expect(needsRehash(OWASP.replace('argon2id', 'argon2i'), OWASP_ARGON2ID)).toBe(true);
    expect(needsRehash('garbage', OWASP_ARGON2ID)).toBe(true);
  });
  it('when the hash is stronger than the policy, then it is kept', () => {
    expect(
      needsRehash(OWASP.replace('m=19456', 'm=65536').replace('t=2', 't=3'), OWASP_ARGON2ID),
    ).toBe(false);
  });
});
