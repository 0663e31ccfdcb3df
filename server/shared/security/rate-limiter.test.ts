import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

const rule = { limit: 3, windowSeconds: 60 };

describe('rate limiter', () => {
  it('when a key stays within its limit, then every request passes', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) expect(l.consume('k', rule, 1_000).ok).toBe(true);
  });

  it('when a key passes its limit, then it is refused with a Retry-After up to the window end', () => {
    const l = createRateLimiter();
    for (let i = 0; i < 3; i++) l.consume('k', rule, 0);
    const d = l.consume('k', rule, 10_000);
    expect(d).toEqual({ ok: false, retryAfterSeconds: 50 });
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
