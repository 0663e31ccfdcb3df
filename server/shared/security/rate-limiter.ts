import { randomBytes } from 'node:crypto';

export interface RateRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };
/** The one "allowed" answer, shared: a request that passes allocates nothing here. */
const ALLOWED: RateDecision = Object.freeze({ ok: true });

/**
 * How long until one more request fits, so Retry-After tells the truth. The previous window keeps
 * weighing in after a window ends, so a full window is still felt at the start of the next one.
 */
function msUntilAllowed(start: number, count: number, previous: number, limit: number, size: number, nowMs: number): number {
  const room = limit - 1;
  if (count <= room) {
    // This window has room; wait for the previous one's weight to decay: previous * (1 - x/size) <= room - count.
    const x = Math.ceil((size * (previous - (room - count))) / previous);
    return start + x - nowMs;
  }
  // In the next window this one becomes `previous`: count * (1 - x/size) <= room.
  const x = Math.ceil((size * (count - room)) / count);
  return start + size + x - nowMs;
}

// A key is known by a 64-bit fingerprint of (scope, subject): two 32-bit hashes with secret
// per-process seeds, so no one outside can choose keys that pile up in one place of a table.
const SEEDS = new Int32Array(randomBytes(8).buffer);
let fingerprintA = 0;
let fingerprintB = 0;

/** Sets fingerprintA/B (two results without allocating). The scope's length is mixed in, so ('ab', 'c') and ('a', 'bc') differ. */
function fingerprint(scope: string, subject: string): void {
  let a = SEEDS[0]! ^ scope.length;
  let b = SEEDS[1]! ^ subject.length;
  for (let i = 0; i < scope.length; i++) {
    const c = scope.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  for (let i = 0; i < subject.length; i++) {
    const c = subject.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // Finalizers (murmur3's and a second mixer) so every input bit reaches every output bit.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= b >>> 15;
  b = Math.imul(b, 0x2c1b3c6d);
  b ^= b >>> 12;
  b = Math.imul(b, 0x297a2d39);
  b ^= b >>> 15;
  fingerprintA = a;
  // An empty slot has B = 0, so a key never does.
  fingerprintB = b | 1;
}

const SLOT = 4; // fingerprint A, fingerprint B, count, (padding: four ints keep a slot inside one cache line)
const MIN_CAPACITY = 16;

/**
 * One window's counts: open addressing with linear probing over one flat Int32Array. No object or
 * string is kept per key, so a flood of new keys allocates nothing the garbage collector has to
 * trace or promote, and a lookup touches one cache line. At most half full, so a probe always ends.
 */
class CountTable {
  slots: Int32Array;
  mask: number;
  used = 0;
  constructor(
    capacity: number,
    private readonly maxCapacity: number,
  ) {
    this.slots = new Int32Array(capacity * SLOT);
    this.mask = capacity - 1;
  }
  /** The slot offset of the key, or -1 - the offset of the empty slot where it would go. */
  find(a: number, b: number): number {
    const s = this.slots;
    const mask = this.mask;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const at = i * SLOT;
      const sb = s[at + 1]!;
      if (sb === 0) return -1 - at;
      if (sb === b && s[at] === a) return at;
    }
  }
  count(a: number, b: number): number {
    if (this.used === 0) return 0;
    const at = this.find(a, b);
    return at >= 0 ? this.slots[at + 2]! : 0;
  }
  /** Counts one more for a key; `at` is what `find` returned for it. */
  increment(a: number, b: number, at: number): void {
    if (at >= 0) {
      this.slots[at + 2]!++;
      return;
    }
    if ((this.used + 1) * 2 > this.mask + 1 && this.mask + 1 < this.maxCapacity) {
      this.grow();
      at = this.find(a, b);
    }
    const empty = -1 - at;
    this.slots[empty] = a;
    this.slots[empty + 1] = b;
    this.slots[empty + 2] = 1;
    this.used++;
  }
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = (this.mask + 1) * 2 - 1;
    for (let at = 0; at < old.length; at += SLOT) {
      if (old[at + 1] === 0) continue;
      const to = -1 - this.find(old[at]!, old[at + 1]!);
      this.slots[to] = old[at]!;
      this.slots[to + 1] = old[at + 1]!;
      this.slots[to + 2] = old[at + 2]!;
    }
  }
  clear(): void {
    if (this.used === 0) return;
    this.slots.fill(0);
    this.used = 0;
  }
}

/** Counts of one window size: this window's and the previous one's. */
interface Generation {
  start: number;
  current: CountTable;
  previous: CountTable;
}

/**
 * A sliding-window counter per key, in process memory. A key is a scope (the rule: an operation's
 * per-IP limit, say) and a subject (the address, the session). Each window size keeps two tables of
 * counts, this window's and the last, swapped when a window ends, so there is no sweeping. A table
 * holds at most `maxKeys` keys; past that, under a flood of distinct keys, the counts so far become
 * the previous window early. A table grows as keys arrive, to at most 16 bytes x `maxKeys` x 2
 * rounded up to a power of two: 4 MB per window size for both tables at the default 50,000. Each instance limits on its own:
 * with N instances behind a balancer the effective limit is up to N times the contract's, which
 * the operator docs state.
 * @example
 * const limiter = createRateLimiter();
 * const d = limiter.consume('submitEnquiry|i', '1.2.3.4', { limit: 5, windowSeconds: 600 }, Date.now());
 */
export function createRateLimiter(options: { maxKeys?: number } = {}) {
  const generations = new Map<number, Generation>();
  // 50,000 keys a table: past that, the oldest counts age out early (docs/rate-limits.md).
  const maxKeys = options.maxKeys ?? 50_000;
  const maxCapacity = Math.max(MIN_CAPACITY, 2 ** Math.ceil(Math.log2(maxKeys * 2)));

  function generationFor(size: number, nowMs: number): Generation {
    let g = generations.get(size);
    if (g === undefined) {
      g = { start: nowMs - (nowMs % size), current: new CountTable(MIN_CAPACITY, maxCapacity), previous: new CountTable(MIN_CAPACITY, maxCapacity) };
      generations.set(size, g);
    } else if (nowMs - g.start >= size) {
      const elapsed = Math.floor((nowMs - g.start) / size);
      // The tables are reused: the new window's is the older one, emptied.
      const emptied = g.previous;
      emptied.clear();
      // More than one window passed: nothing of the last one weighs in either.
      if (elapsed > 1) g.current.clear();
      g.previous = g.current;
      g.current = emptied;
      g.start += elapsed * size;
    } else if (g.current.used >= maxKeys) {
      // A flood of distinct keys: keep their counts as the previous window rather than grow without bound.
      const emptied = g.previous;
      emptied.clear();
      g.previous = g.current;
      g.current = emptied;
    }
    return g;
  }

  return {
    consume(scope: string, subject: string, rule: RateRule, nowMs: number): RateDecision {
      const size = rule.windowSeconds * 1000;
      const g = generationFor(size, nowMs);
      fingerprint(scope, subject);
      const a = fingerprintA;
      const b = fingerprintB;
      const at = g.current.find(a, b);
      const count = at >= 0 ? g.current.slots[at + 2]! : 0;
      const previous = g.previous.count(a, b);
      const estimate = previous * (1 - (nowMs - g.start) / size) + count;
      if (estimate + 1 > rule.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(msUntilAllowed(g.start, count, previous, rule.limit, size, nowMs) / 1000)) };
      }
      g.current.increment(a, b, at);
      return ALLOWED;
    },
    reset(): void {
      generations.clear();
    },
    /** Keys counted in the current windows. */
    get size(): number {
      let n = 0;
      for (const g of generations.values()) n += g.current.used;
      return n;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
