export interface RateRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Window {
  start: number;
  count: number;
  previous: number;
}

/**
 * How long until one more request fits, so Retry-After tells the truth. The previous window keeps
 * weighing in after a window ends, so a full window is still felt at the start of the next one.
 */
function msUntilAllowed(w: Window, limit: number, size: number, nowMs: number): number {
  const room = limit - 1;
  if (w.count <= room) {
    // This window has room; wait for the previous one's weight to decay: previous * (1 - x/size) <= room - count.
    const x = Math.ceil((size * (w.previous - (room - w.count))) / w.previous);
    return w.start + x - nowMs;
  }
  // In the next window this one becomes `previous`: count * (1 - x/size) <= room.
  const x = Math.ceil((size * (w.count - room)) / w.count);
  return w.start + size + x - nowMs;
}

/**
 * A sliding-window counter per key, in process memory. Each instance limits on its own: with N
 * instances behind a balancer the effective limit is up to N times the contract's, which the
 * operator docs state.
 * @example
 * const limiter = createRateLimiter();
 * const d = limiter.consume('submitEnquiry:ip:1.2.3.4', { limit: 5, windowSeconds: 600 }, Date.now());
 */
export function createRateLimiter(options: { maxKeys?: number } = {}) {
  const windows = new Map<string, Window>();
  const maxKeys = options.maxKeys ?? 200_000;

  function sweep(nowMs: number): void {
    for (const [key, w] of windows) if (nowMs - w.start > 2 * 3_600_000) windows.delete(key);
    if (windows.size > maxKeys) windows.clear();
  }

  return {
    consume(key: string, rule: RateRule, nowMs: number): RateDecision {
      const size = rule.windowSeconds * 1000;
      let w = windows.get(key);
      if (w === undefined) {
        if (windows.size >= maxKeys) sweep(nowMs);
        w = { start: nowMs - (nowMs % size), count: 0, previous: 0 };
        windows.set(key, w);
      } else if (nowMs - w.start >= size) {
        const elapsedWindows = Math.floor((nowMs - w.start) / size);
        w.previous = elapsedWindows === 1 ? w.count : 0;
        w.start += elapsedWindows * size;
        w.count = 0;
      }
      const weight = 1 - (nowMs - w.start) / size;
      const estimate = w.previous * weight + w.count;
      if (estimate + 1 > rule.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(msUntilAllowed(w, rule.limit, size, nowMs) / 1000)) };
      }
      w.count++;
      return { ok: true };
    },
    reset(): void {
      windows.clear();
    },
    get size(): number {
      return windows.size;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
