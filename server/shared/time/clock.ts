/**
 * The one source of "now" for use-cases and guards, so tests can move time (idle and absolute
 * session timeouts, rate-limit windows) without sleeping.
 * @example
 * const clock = systemClock;            // production
 * const clock = manualClock(new Date('2026-11-27T10:00:00Z')); clock.advance(31 * 60_000);
 */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
};

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(at: Date): void;
}

/** A clock that only moves when told to. */
export function manualClock(start: Date = new Date()): ManualClock {
  let time = start.getTime();
  return {
    now: () => new Date(time),
    nowMs: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (at) => {
      time = at.getTime();
    },
  };
}
