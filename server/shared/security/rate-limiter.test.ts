import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

const rule = { limit: 3, windowSeconds: 60 };

describe('rate limiter', () => {
  it('when a key stays within its limit, then every request passes', () => {
    const line = createRateLimiter();
    for (let index = 0; index < 3; index++)
      expect(line.consume('rule', 'k', rule, 1_000).ok).toBe(true);
  });

  it('when a key passes its limit, then it is refused with a Retry-After past the window end, until the full window has decayed enough', () => {
    const line = createRateLimiter();
    for (let index = 0; index < 3; index++) line.consume('rule', 'k', rule, 0);
    const data = line.consume('rule', 'k', rule, 10_000);
    // 50 s to the window end, then 20 s until 3 * (1 - x/60) + 1 <= 3.
    expect(data).toEqual({ ok: false, retryAfterSeconds: 70 });
  });

  it.each([
    ['a full window', [0, 0, 0], 10_000],
    ['a window with room but a heavy previous one', [50_000, 50_000, 50_000, 61_000], 61_500],
    ['a limit of one', [0], 30_000],
  ] as const)(
    'when refused after %s, then a request just before Retry-After is refused and one at Retry-After passes',
    (_label, hits, at) => {
      const result = hits.length === 1 ? { limit: 1, windowSeconds: 60 } : rule;
      const line = createRateLimiter();
      for (const hit of hits) line.consume('rule', 'k', result, hit);
      const data = line.consume('rule', 'k', result, at);
      expect(data.ok).toBe(false);
      const retryAt = at + (data as { retryAfterSeconds: number }).retryAfterSeconds * 1000;
      const probe = createRateLimiter();
      for (const hit of hits) probe.consume('rule', 'k', result, hit);
      expect(probe.consume('rule', 'k', result, retryAt - 1_001).ok).toBe(false);
      expect(line.consume('rule', 'k', result, retryAt).ok).toBe(true);
    },
  );

  it('when a request costs several units, then they all count, one that does not fit is refused and counts nothing, and its Retry-After is when it fits', () => {
    const line = createRateLimiter();
    const result = { limit: 10, windowSeconds: 60 };
    expect(line.consume('w', 'k', result, 0, 6).ok).toBe(true);
    const data = line.consume('w', 'k', result, 0, 6);
    expect(data.ok).toBe(false);
    // The refused 6 did not count: 4 still fit.
    expect(line.consume('w', 'k', result, 0, 4).ok).toBe(true);
    const probe = createRateLimiter();
    probe.consume('w', 'k', result, 0, 6);
    const wait =
      (probe.consume('w', 'k', result, 0, 6) as { retryAfterSeconds: number }).retryAfterSeconds *
      1000;
    expect(probe.consume('w', 'k', result, wait - 1_001, 6).ok).toBe(false);
    expect(probe.consume('w', 'k', result, wait, 6).ok).toBe(true);
  });

  it('when a request costs more than the whole limit, then it is always refused', () => {
    const line = createRateLimiter();
    expect(line.consume('w', 'k', { limit: 5, windowSeconds: 60 }, 0, 6)).toEqual({
      ok: false,
      retryAfterSeconds: 120,
    });
  });

  it('when one key is exhausted, then another key is unaffected', () => {
    const line = createRateLimiter();
    for (let index = 0; index < 4; index++) line.consume('rule', 'a', rule, 0);
    expect(line.consume('rule', 'b', rule, 0).ok).toBe(true);
  });

  it('when the next window starts right after a full one, then the previous window still weighs in (no burst of 2x at the boundary)', () => {
    const line = createRateLimiter();
    for (let index = 0; index < 3; index++) line.consume('rule', 'k', rule, 59_000);
    expect(line.consume('rule', 'k', rule, 61_000).ok).toBe(false);
  });

  it('when two whole windows have passed, then the key starts afresh', () => {
    const line = createRateLimiter();
    for (let index = 0; index < 4; index++) line.consume('rule', 'k', rule, 0);
    for (let index = 0; index < 3; index++)
      expect(line.consume('rule', 'k', rule, 120_001).ok).toBe(true);
    expect(line.consume('rule', 'k', rule, 120_001).ok).toBe(false);
  });

  it('when windows pass one after another, then each window counts afresh while the last one weighs in', () => {
    const line = createRateLimiter();
    for (let amount = 0; amount < 5; amount++) {
      // At the end of each window, the previous one's weight has decayed to almost nothing.
      const end = amount * 60_000 + 59_999;
      for (let index = 0; index < 2; index++)
        expect(line.consume('rule', 'k', rule, end).ok, `window ${amount}`).toBe(true);
    }
  });

  it('when 100,000 distinct subjects each send one request, then every one passes and each is counted on its own (the table grows without losing or merging a count)', () => {
    const line = createRateLimiter({ maxKeys: 100_000 });
    const one = { limit: 1, windowSeconds: 60 };
    const subject = (index: number) =>
      `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    let passed = 0;
    for (let index = 0; index < 100_000; index++)
      if (line.consume('op|i', subject(index), one, 0).ok) passed++;
    expect(passed).toBe(100_000);
    expect(line.size).toBe(100_000);
    let refused = 0;
    for (let index = 0; index < 100_000; index++)
      if (!line.consume('op|i', subject(index), one, 1_000).ok) refused++;
    expect(refused).toBe(100_000);
  });

  it('when the scope and subject split the same characters differently, then they are different keys', () => {
    const line = createRateLimiter();
    const one = { limit: 1, windowSeconds: 60 };
    expect(line.consume('ab', 'c', one, 0).ok).toBe(true);
    expect(line.consume('a', 'bc', one, 0).ok).toBe(true);
    expect(line.consume('abc', '', one, 0).ok).toBe(true);
    expect(line.consume('ab', 'c', one, 0).ok).toBe(false);
  });

  it('when more distinct keys than maxKeys arrive in one window, then earlier counts still weigh in as the previous window, and memory stays bounded', () => {
    const line = createRateLimiter({ maxKeys: 100 });
    for (let index = 0; index < 3; index++) line.consume('rule', 'early', rule, 0);
    for (let index = 0; index < 150; index++) line.consume('rule', `flood-${index}`, rule, 0);
    expect(line.consume('rule', 'early', rule, 0).ok).toBe(false);
    expect(line.size).toBeLessThanOrEqual(100);
    // A second wave as large pushes the early counts out: limits soften under such a flood (documented).
    for (let index = 0; index < 150; index++) line.consume('rule', `wave-${index}`, rule, 0);
    expect(line.consume('rule', 'early', rule, 0).ok).toBe(true);
  });

  it('when reset, then every key starts afresh, under a bound rule as well', () => {
    const line = createRateLimiter();
    const bound = line.rule('bound', rule);
    for (let index = 0; index < 3; index++) {
      line.consume('rule', 'k', rule, 0);
      bound.consume('k', 0);
    }
    expect(bound.consume('k', 0).ok).toBe(false);
    line.reset();
    expect(line.size).toBe(0);
    expect(line.consume('rule', 'k', rule, 0).ok).toBe(true);
    expect(bound.consume('k', 0).ok).toBe(true);
  });

  it('when a rule is bound to its scope, then it counts the same keys as consume with that scope', () => {
    const line = createRateLimiter();
    const bound = line.rule('op|i', rule);
    expect(bound.consume('1.2.3.4', 0).ok).toBe(true);
    expect(line.consume('op|i', '1.2.3.4', rule, 0).ok).toBe(true);
    expect(bound.consume('1.2.3.4', 0).ok).toBe(true);
    expect(bound.consume('1.2.3.4', 0).ok).toBe(false);
    expect(line.consume('op|g', '1.2.3.4', rule, 0).ok).toBe(true);
  });

  it('when windows pass, then keys seen only in an older window are forgotten (memory follows the last two windows)', () => {
    const line = createRateLimiter();
    for (let index = 0; index < 1_000; index++) line.consume('rule', `old-${index}`, rule, 0);
    line.consume('rule', 'recent', rule, 60_000);
    expect(line.size).toBe(1);
    // The old keys weigh in as the previous window only until the one after.
    line.consume('rule', 'later', rule, 120_000);
    for (let index = 0; index < 3; index++)
      expect(line.consume('rule', 'old-1', rule, 120_000).ok).toBe(true);
  });
});
