import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

const rule = { limit: 3, windowSeconds: 60 };

describe('rate limiter', () => {
  it('when a key stays within its limit, then every request passes', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) expect(l.consume('k', rule, 1_000).ok).toBe(true);
  });

  it('when a key passes its limit, then it is refused with a Retry-After past the window end, until the full window has decayed enough', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) l.consume('k', rule, 0);
    const d = l.consume('k', rule, 10_000);
    // 50 s to the window end, then 20 s until 3 * (1 - x/60) + 1 <= 3.
    expect(d).toEqual({ ok: false, retryAfterSeconds: 70 });
  });

  it.each([
    ['a full window', [0, 0, 0], 10_000],
    ['a window with room but a heavy previous one', [50_000, 50_000, 50_000, 61_000], 61_500],
    ['a limit of one', [0], 30_000],
  ] as const)('when refused after %s, then a request just before Retry-After is refused and one at Retry-After passes', (_label, hits, at) => {
    const r = hits.length === 1 ? { limit: 1, windowSeconds: 60 } : rule;
    const l = createRateLimiter();
    for (const h of hits) l.consume('k', r, h);
    const d = l.consume('k', r, at);
    expect(d.ok).toBe(false);
    const retryAt = at + (d as { retryAfterSeconds: number }).retryAfterSeconds * 1000;
    const probe = createRateLimiter();
    for (const h of hits) probe.consume('k', r, h);
    expect(probe.consume('k', r, retryAt - 1_001).ok).toBe(false);
    expect(l.consume('k', r, retryAt).ok).toBe(true);
  });

  it('when one key is exhausted, then another key is unaffected', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 4; i++) l.consume('a', rule, 0);
    expect(l.consume('b', rule, 0).ok).toBe(true);
  });

  it('when the next window starts right after a full one, then the previous window still weighs in (no burst of 2x at the boundary)', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) l.consume('k', rule, 59_000);
    expect(l.consume('k', rule, 61_000).ok).toBe(false);
  });

  it('when two whole windows have passed, then the key starts afresh', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 4; i++) l.consume('k', rule, 0);
    expect(l.consume('k', rule, 120_001).ok).toBe(true);
  });
});
