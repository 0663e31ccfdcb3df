import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

const rule = { limit: 3, windowSeconds: 60 };

describe('rate limiter', () => {
  it('when a key stays within its limit, then every request passes', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) expect(l.consume('rule', 'k', rule, 1_000).ok).toBe(true);
  });

  it('when a key passes its limit, then it is refused with a Retry-After past the window end, until the full window has decayed enough', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) l.consume('rule', 'k', rule, 0);
    const d = l.consume('rule', 'k', rule, 10_000);
    // 50 s to the window end, then 20 s until 3 * (1 - x/60) + 1 <= 3.
    expect(d).toEqual({ ok: false, retryAfterSeconds: 70 });
  });

  it.each([
    ['a full window', [0, 0, 0], 10_000],
    ['a window with room but a heavy previous one', [50_000, 50_000, 50_000, 61_000], 61_500],
    ['a limit of one', [0], 30_000],
  ] as const)(
    'when refused after %s, then a request just before Retry-After is refused and one at Retry-After passes',
    (_label, hits, at) => {
      const r = hits.length === 1 ? { limit: 1, windowSeconds: 60 } : rule;
      const l = createRateLimiter();
      for (const h of hits) l.consume('rule', 'k', r, h);
      const d = l.consume('rule', 'k', r, at);
      expect(d.ok).toBe(false);
      const retryAt = at + (d as { retryAfterSeconds: number }).retryAfterSeconds * 1000;
      const probe = createRateLimiter();
      for (const h of hits) probe.consume('rule', 'k', r, h);
      expect(probe.consume('rule', 'k', r, retryAt - 1_001).ok).toBe(false);
      expect(l.consume('rule', 'k', r, retryAt).ok).toBe(true);
    },
  );

  it('when a request costs several units, then they all count, one that does not fit is refused and counts nothing, and its Retry-After is when it fits', () => {
    const l = createRateLimiter();
    const r = { limit: 10, windowSeconds: 60 };
    expect(l.consume('w', 'k', r, 0, 6).ok).toBe(true);
    const d = l.consume('w', 'k', r, 0, 6);
    expect(d.ok).toBe(false);
    // The refused 6 did not count: 4 still fit.
    expect(l.consume('w', 'k', r, 0, 4).ok).toBe(true);
    const probe = createRateLimiter();
    probe.consume('w', 'k', r, 0, 6);
    const wait =
      (probe.consume('w', 'k', r, 0, 6) as { retryAfterSeconds: number }).retryAfterSeconds * 1000;
    expect(probe.consume('w', 'k', r, wait - 1_001, 6).ok).toBe(false);
    expect(probe.consume('w', 'k', r, wait, 6).ok).toBe(true);
  });

  it('when a request costs more than the whole limit, then it is always refused', () => {
    const l = createRateLimiter();
    expect(l.consume('w', 'k', { limit: 5, windowSeconds: 60 }, 0, 6)).toEqual({
      ok: false,
      retryAfterSeconds: 120,
    });
  });

  it('when one key is exhausted, then another key is unaffected', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 4; i++) l.consume('rule', 'a', rule, 0);
    expect(l.consume('rule', 'b', rule, 0).ok).toBe(true);
  });

  it('when the next window starts right after a full one, then the previous window still weighs in (no burst of 2x at the boundary)', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) l.consume('rule', 'k', rule, 59_000);
    expect(l.consume('rule', 'k', rule, 61_000).ok).toBe(false);
  });

  it('when two whole windows have passed, then the key starts afresh', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 4; i++) l.consume('rule', 'k', rule, 0);
    for (let i = 0; i < 3; i++) expect(l.consume('rule', 'k', rule, 120_001).ok).toBe(true);
    expect(l.consume('rule', 'k', rule, 120_001).ok).toBe(false);
  });

  it('when windows pass one after another, then each window counts afresh while the last one weighs in', () => {
    const l = createRateLimiter();
    for (let w = 0; w < 5; w++) {
      // At the end of each window, the previous one's weight has decayed to almost nothing.
      const end = w * 60_000 + 59_999;
      for (let i = 0; i < 2; i++)
        expect(l.consume('rule', 'k', rule, end).ok, `window ${w}`).toBe(true);
    }
  });

  it('when 100,000 distinct subjects each send one request, then every one passes and each is counted on its own (the table grows without losing or merging a count)', () => {
    const l = createRateLimiter({ maxKeys: 100_000 });
    const one = { limit: 1, windowSeconds: 60 };
    const subject = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    let passed = 0;
    for (let i = 0; i < 100_000; i++) if (l.consume('op|i', subject(i), one, 0).ok) passed++;
    expect(passed).toBe(100_000);
    expect(l.size).toBe(100_000);
    let refused = 0;
    for (let i = 0; i < 100_000; i++) if (!l.consume('op|i', subject(i), one, 1_000).ok) refused++;
    expect(refused).toBe(100_000);
  });

  it('when the scope and subject split the same characters differently, then they are different keys', () => {
    const l = createRateLimiter();
    const one = { limit: 1, windowSeconds: 60 };
    expect(l.consume('ab', 'c', one, 0).ok).toBe(true);
    expect(l.consume('a', 'bc', one, 0).ok).toBe(true);
    expect(l.consume('abc', '', one, 0).ok).toBe(true);
    expect(l.consume('ab', 'c', one, 0).ok).toBe(false);
  });

  it('when more distinct keys than maxKeys arrive in one window, then earlier counts still weigh in as the previous window, and memory stays bounded', () => {
    const l = createRateLimiter({ maxKeys: 100 });
    for (let i = 0; i < 3; i++) l.consume('rule', 'early', rule, 0);
    for (let i = 0; i < 150; i++) l.consume('rule', `flood-${i}`, rule, 0);
    expect(l.consume('rule', 'early', rule, 0).ok).toBe(false);
    expect(l.size).toBeLessThanOrEqual(100);
    // A second wave as large pushes the early counts out: limits soften under such a flood (documented).
    for (let i = 0; i < 150; i++) l.consume('rule', `wave-${i}`, rule, 0);
    expect(l.consume('rule', 'early', rule, 0).ok).toBe(true);
  });

  it('when reset, then every key starts afresh, under a bound rule as well', () => {
    const l = createRateLimiter();
    const bound = l.rule('bound', rule);
    for (let i = 0; i < 3; i++) {
      l.consume('rule', 'k', rule, 0);
      bound.consume('k', 0);
    }
    expect(bound.consume('k', 0).ok).toBe(false);
    l.reset();
    expect(l.size).toBe(0);
    expect(l.consume('rule', 'k', rule, 0).ok).toBe(true);
    expect(bound.consume('k', 0).ok).toBe(true);
  });

  it('when a rule is bound to its scope, then it counts the same keys as consume with that scope', () => {
    const l = createRateLimiter();
    const bound = l.rule('op|i', rule);
    expect(bound.consume('1.2.3.4', 0).ok).toBe(true);
    expect(l.consume('op|i', '1.2.3.4', rule, 0).ok).toBe(true);
    expect(bound.consume('1.2.3.4', 0).ok).toBe(true);
    expect(bound.consume('1.2.3.4', 0).ok).toBe(false);
    expect(l.consume('op|g', '1.2.3.4', rule, 0).ok).toBe(true);
  });

  it('when windows pass, then keys seen only in an older window are forgotten (memory follows the last two windows)', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 1_000; i++) l.consume('rule', `old-${i}`, rule, 0);
    l.consume('rule', 'recent', rule, 60_000);
    expect(l.size).toBe(1);
    // The old keys weigh in as the previous window only until the one after.
    l.consume('rule', 'later', rule, 120_000);
    for (let i = 0; i < 3; i++) expect(l.consume('rule', 'old-1', rule, 120_000).ok).toBe(true);
  });
});
