import { randomBytes } from 'node:crypto';

export interface RateRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };
/** The one "allowed" answer, shared: a request that passes allocates nothing here. */
const ALLOWED: RateDecision = Object.freeze({ ok: true });

/**
 * How long until `cost` more fits, so Retry-After tells the truth. The previous window keeps
 * weighing in after a window ends, so a full window is still felt at the start of the next one.
 */
function msUntilAllowed(
  start: number,
  count: number,
  previous: number,
  limit: number,
  size: number,
  nowMs: number,
  cost: number,
): number {
  const room = limit - cost;
  if (count <= room) {
    // This window has room; wait for the previous one's weight to decay: previous * (1 - x/size) <= room - count.
    const amount = Math.ceil((size * (previous - (room - count))) / previous);
    return start + amount - nowMs;
  }
  // In the next window this one becomes `previous`: count * (1 - x/size) <= room.
  const item = Math.ceil((size * (count - room)) / count);
  return start + size + item - nowMs;
}

// A key is known by a 64-bit fingerprint of (scope, subject): two 32-bit hashes with secret
// per-process seeds, so no one outside can choose keys that pile up in one place of a table.
const SEEDS = new Int32Array(randomBytes(8).buffer);
let scopeA = 0;
let scopeB = 0;
let fingerprintA = 0;
let fingerprintB = 0;

/** Sets scopeA/B: the hash state after the scope, where a subject's hash goes on from. Its length is mixed in, so ('ab', 'c') and ('a', 'bc') differ. */
function scopeSeeds(scope: string): void {
  let left = SEEDS[0]! ^ scope.length;
  let right = SEEDS[1]! ^ Math.imul(scope.length, 0x9e3779b9);
  for (let index = 0; index < scope.length; index++) {
    const amount = scope.charCodeAt(index);
    left = Math.imul(left ^ amount, 0x01000193);
    right = Math.imul(right ^ amount, 0x5bd1e995);
  }
  scopeA = left;
  scopeB = right;
}

/** Sets fingerprintA/B (two results without allocating) for a subject under a scope's seeds. */
function fingerprint(seedA: number, seedB: number, subject: string): void {
  let left = seedA ^ subject.length;
  let right = seedB;
  for (let index = 0; index < subject.length; index++) {
    const amount = subject.charCodeAt(index);
    left = Math.imul(left ^ amount, 0x01000193);
    right = Math.imul(right ^ amount, 0x5bd1e995);
  }
  // Finalizers (murmur3's and a second mixer) so every input bit reaches every output bit.
  left ^= left >>> 16;
  left = Math.imul(left, 0x85ebca6b);
  left ^= left >>> 13;
  left = Math.imul(left, 0xc2b2ae35);
  left ^= left >>> 16;
  right ^= right >>> 15;
  right = Math.imul(right, 0x2c1b3c6d);
  right ^= right >>> 12;
  right = Math.imul(right, 0x297a2d39);
  right ^= right >>> 15;
  fingerprintA = left;
  // An empty slot has B = 0, so a key never does.
  fingerprintB = right | 1;
}

const SLOT = 4; // fingerprint A, fingerprint B, this window's count, the previous window's count
const MIN_CAPACITY = 16;

/**
 * The counts of one window size, this window's and the previous one's side by side in one slot, so
 * a key costs one probe. Open addressing with linear probing over one flat Int32Array: no object or
 * string is kept per key, so a flood of new keys gives the garbage collector nothing to trace or
 * promote, and a lookup touches one cache line. At most half full, so a probe always ends.
 */
class Window {
  start: number;
  slots = new Int32Array(MIN_CAPACITY * SLOT);
  mask = MIN_CAPACITY - 1;
  /** Slots in use (keys with a count in this window or the previous one). */
  used = 0;
  /** Keys with a count in this window. */
  current = 0;
  constructor(
    readonly size: number,
    nowMs: number,
    private readonly maxKeys: number,
    private readonly maxCapacity: number,
  ) {
    this.start = nowMs - (nowMs % size);
  }

  /** The slot offset of the key, or -1 - the offset of the empty slot where it would go. */
  find(left: number, right: number): number {
    const int32Array = this.slots;
    const mask = this.mask;
    for (let index = left & mask; ; index = (index + 1) & mask) {
      const at = index * SLOT;
      const sb = int32Array[at + 1]!;
      if (sb === 0) return -1 - at;
      if (sb === right && int32Array[at] === left) return at;
    }
  }

  /** Moves to the window `nowMs` falls in; starts a window early when this one holds maxKeys keys (a flood). */
  roll(nowMs: number): void {
    if (nowMs - this.start >= this.size) {
      const elapsed = Math.floor((nowMs - this.start) / this.size);
      this.start += elapsed * this.size;
      // More than one window passed: nothing of the last one weighs in either.
      this.rebuild(this.slots.length / SLOT, elapsed === 1);
    } else if (this.current >= this.maxKeys) {
      // Keep the counts so far as the previous window rather than grow without bound.
      this.rebuild(this.slots.length / SLOT, true);
    }
  }

  /** Counts `cost` more for a key; `at` is what `find` returned for it. */
  increment(left: number, right: number, at: number, cost: number): void {
    const int32Array = this.slots;
    if (at >= 0) {
      const count = int32Array[at + 2]!;
      // Counts are 32-bit: one that reaches the top stays there rather than wrap round to negative.
      int32Array[at + 2] = Math.min(0x7fffffff, count + cost);
      if (count === 0) this.current++;
      return;
    }
    if ((this.used + 1) * 2 > this.mask + 1 && this.mask + 1 < this.maxCapacity) {
      this.rebuild((this.mask + 1) * 2, false, true);
      at = this.find(left, right);
    }
    const empty = -1 - at;
    const target = this.slots;
    target[empty] = left;
    target[empty + 1] = right;
    target[empty + 2] = cost;
    this.used++;
    this.current++;
  }

  /** Forgets every count, back to the smallest table. */
  clear(): void {
    this.rebuild(MIN_CAPACITY, false);
  }

  /**
   * A new table of `capacity` slots. `shift`: this window's counts become the previous window's and
   * keys with none are dropped; `keep`: everything is kept as it is (growing); neither: empty.
   */
  private rebuild(capacity: number, shift: boolean, keep = false): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity * SLOT);
    this.mask = capacity - 1;
    this.used = 0;
    if (!keep) this.current = 0;
    if (!shift && !keep) return;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 1] === 0) continue;
      const count = old[at + 2]!;
      if (shift && count === 0) continue;
      const to = -1 - this.find(old[at]!, old[at + 1]!);
      this.slots[to] = old[at]!;
      this.slots[to + 1] = old[at + 1]!;
      this.slots[to + 2] = shift ? 0 : count;
      this.slots[to + 3] = shift ? count : old[at + 3]!;
      this.used++;
    }
  }
}

/** One rule's limit, bound to its scope: the scope is hashed once, here, not on every request. */
export interface RateLimit {
  /** One request (or `cost` units of one, for a weighted limit) of `subject`; refused ones count nothing. */
  consume(subject: string, nowMs: number, cost?: number): RateDecision;
  /** After `consume`, for its subject: the units left (0 when refused), for a `RateLimit` header. */
  readonly remaining: number;
  /** After `consume`: whole seconds until more is made available (the window's end; Retry-After when refused). */
  readonly resetSeconds: number;
}

// What the last consume left, read right after it by the rule that asked (no object per request).
let lastRemaining = 0;
let lastResetSeconds = 0;

/** Counts `cost` units of `subject` in `waiter` if they fit, and records what remains. */
function consumeIn(
  waiter: Window,
  seedA: number,
  seedB: number,
  subject: string,
  limit: number,
  nowMs: number,
  cost: number,
): RateDecision {
  waiter.roll(nowMs);
  fingerprint(seedA, seedB, subject);
  const left = fingerprintA;
  const right = fingerprintB;
  const at = waiter.find(left, right);
  const count = at >= 0 ? waiter.slots[at + 2]! : 0;
  const previous = at >= 0 ? waiter.slots[at + 3]! : 0;
  const size = waiter.size;
  const estimate = previous * (1 - (nowMs - waiter.start) / size) + count;
  if (estimate + cost > limit) {
    // More than the whole limit never fits: the caller must keep a unit's cost under its limit.
    const retryAfterSeconds =
      cost > limit
        ? Math.ceil((2 * size) / 1000)
        : Math.max(
            1,
            Math.ceil(
              msUntilAllowed(waiter.start, count, previous, limit, size, nowMs, cost) / 1000,
            ),
          );
    lastRemaining = 0;
    lastResetSeconds = retryAfterSeconds;
    return { ok: false, retryAfterSeconds };
  }
  waiter.increment(left, right, at, cost);
  lastRemaining = Math.floor(limit - estimate - cost);
  lastResetSeconds = Math.ceil((waiter.start + size - nowMs) / 1000);
  return ALLOWED;
}

/**
 * A sliding-window counter per key, in process memory. A key is a scope (the rule: an operation's
 * per-IP limit, say) and a subject (the address, the session). Each window size keeps one table with
 * this window's count and the last one's for each key, shifted when a window ends, so there is no
 * sweeping. A window holds at most `maxKeys` keys; past that, under a flood of distinct keys, the
 * counts so far become the previous window early. A table grows as keys arrive, to at most
 * 16 bytes x 4 x `maxKeys` rounded up to a power of two: 4 MB per window size at the default
 * 50,000. Each instance limits on its own: with N instances behind a balancer the effective limit
 * is up to N times the contract's, which the operator docs state.
 * @example
 * const limiter = createRateLimiter();
 * const perIp = limiter.rule('submitEnquiry|i', { limit: 5, windowSeconds: 600 });
 * const d = perIp.consume('1.2.3.4', Date.now());
 */
export function createRateLimiter(options: { maxKeys?: number } = {}) {
  const windows = new Map<number, Window>();
  // 50,000 keys a window: past that, the oldest counts age out early (docs/rate-limits.md).
  const maxKeys = options.maxKeys ?? 50_000;
  // Room for this window's keys and the previous one's at most half full.
  const maxCapacity = Math.max(MIN_CAPACITY, 2 ** Math.ceil(Math.log2(maxKeys * 4)));

  function windowOf(size: number, nowMs: number): Window {
    let waiter = windows.get(size);
    if (waiter === undefined) {
      waiter = new Window(size, nowMs, maxKeys, maxCapacity);
      windows.set(size, waiter);
    }
    return waiter;
  }

  return {
    /** A rule bound to its scope, for a limit known in advance (the guard makes one per operation and rule at start). */
    rule(scope: string, rule: RateRule): RateLimit {
      scopeSeeds(scope);
      const seedA = scopeA;
      const seedB = scopeB;
      const size = rule.windowSeconds * 1000;
      let waiter: Window | undefined;
      const bound = {
        remaining: 0,
        resetSeconds: 0,
        consume(subject: string, nowMs: number, cost = 1): RateDecision {
          const data = consumeIn(
            (waiter ??= windowOf(size, nowMs)),
            seedA,
            seedB,
            subject,
            rule.limit,
            nowMs,
            cost,
          );
          bound.remaining = lastRemaining;
          bound.resetSeconds = lastResetSeconds;
          return data;
        },
      };
      return bound;
    },
    /** One request (or `cost` units) of `subject` under `scope`'s rule, for scopes made on the fly. */
    consume(scope: string, subject: string, rule: RateRule, nowMs: number, cost = 1): RateDecision {
      scopeSeeds(scope);
      return consumeIn(
        windowOf(rule.windowSeconds * 1000, nowMs),
        scopeA,
        scopeB,
        subject,
        rule.limit,
        nowMs,
        cost,
      );
    },
    /** Forgets every count (rules bound with `rule` keep working, from nothing). */
    reset(): void {
      for (const waiter of windows.values()) waiter.clear();
    },
    /** Keys counted in the current windows. */
    get size(): number {
      let count = 0;
      for (const waiter of windows.values()) count += waiter.current;
      return count;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
