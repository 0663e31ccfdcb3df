export interface RateRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };
/** The one "allowed" answer, shared: a request that passes allocates nothing here. */
const ALLOWED: RateDecision = Object.freeze({ ok: true });

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

/** Counts of one window size: this window's and the previous one's, per key. */
interface Generation {
  start: number;
  current: Map<string, number>;
  previous: Map<string, number>;
}

/**
 * A sliding-window counter per key, in process memory: each window size keeps two maps of counts
 * (this window and the last), swapped when a window ends, so memory follows the keys seen in the
 * last two windows with no sweeping and no per-key objects. Each instance limits on its own: with
 * N instances behind a balancer the effective limit is up to N times the contract's, which the
 * operator docs state.
 * @example
 * const limiter = createRateLimiter();
 * const d = limiter.consume('submitEnquiry:ip:1.2.3.4', { limit: 5, windowSeconds: 600 }, Date.now());
 */
export function createRateLimiter(options: { maxKeys?: number } = {}) {
  const generations = new Map<number, Generation>();
  // 50,000 keys a map keeps memory near 10 MB and the maps small enough to stay in cache: with
  // 500,000, two lookups and an insert cost 1.2 µs per request under a flood of new addresses,
  // with 50,000 0.87 µs. Past it, the oldest counts age out early (docs/rate-limits.md).
  const maxKeys = options.maxKeys ?? 50_000;

  function generationFor(size: number, nowMs: number): Generation {
    let g = generations.get(size);
    if (g === undefined) {
      g = { start: nowMs - (nowMs % size), current: new Map(), previous: new Map() };
      generations.set(size, g);
    } else if (nowMs - g.start >= size) {
      const elapsed = Math.floor((nowMs - g.start) / size);
      g.previous = elapsed === 1 ? g.current : new Map();
      g.current = new Map();
      g.start += elapsed * size;
    } else if (g.current.size >= maxKeys) {
      // A flood of distinct keys: keep their counts as the previous window rather than grow without bound.
      g.previous = g.current;
      g.current = new Map();
    }
    return g;
  }

  return {
    consume(key: string, rule: RateRule, nowMs: number): RateDecision {
      const size = rule.windowSeconds * 1000;
      const g = generationFor(size, nowMs);
      const count = g.current.get(key) ?? 0;
      const previous = g.previous.get(key) ?? 0;
      const estimate = previous * (1 - (nowMs - g.start) / size) + count;
      if (estimate + 1 > rule.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(msUntilAllowed({ start: g.start, count, previous }, rule.limit, size, nowMs) / 1000)) };
      }
      g.current.set(key, count + 1);
      return ALLOWED;
    },
    reset(): void {
      generations.clear();
    },
    /** Keys counted in the current windows. */
    get size(): number {
      let n = 0;
      for (const g of generations.values()) n += g.current.size;
      return n;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
