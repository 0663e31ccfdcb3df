import type { Logger } from '../logging/logger.js';
import type { Clock } from '../time/clock.js';

/** Rows one housekeeping statement deletes at most, so no pass holds many row locks. */
export const HOUSEKEEPING_BATCH = 1_000;

/** Runs `step(limit)` until it deletes fewer than a batch; the total deleted. */
export async function deleteInBatches(step: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await step(HOUSEKEEPING_BATCH);
    total += count;
    if (count < HOUSEKEEPING_BATCH) return total;
  }
}

/** One kind of expired data a module deletes; `run` returns how many rows went, per table or in all. */
export interface HousekeepingTask {
  readonly name: string;
  run(now: Date): Promise<number | Readonly<Record<string, number>>>;
}

export interface Housekeeping {
  /** One pass over every task now (what the timer calls); one failing task does not stop the others. */
  runOnce(): Promise<Record<string, number | Readonly<Record<string, number>>>>;
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  close(): Promise<void>;
}

/**
 * Deletes what passed its retention on a timer (each kind and its period: docs/retention.md). It
 * runs where the background work runs (the API with `BK_BACKGROUND=inline`, or the worker). Every
 * task deletes only rows past their expiry, in small batches, so two instances running it at once
 * just share the work and a pass never holds many locks.
 * @example
 * const housekeeping = createHousekeeping({ log, clock, intervalMs: 15 * 60_000, tasks });
 * housekeeping.start();
 */
export function createHousekeeping(deps: {
  log: Logger;
  clock: Clock;
  intervalMs: number;
  tasks: readonly HousekeepingTask[];
}): Housekeeping {
  const { log, clock, intervalMs, tasks } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let closed = false;

  async function pass() {
    const now = clock.now();
    const deleted: Record<string, number | Readonly<Record<string, number>>> = {};
    for (const task of tasks) {
      try {
        deleted[task.name] = await task.run(now);
      } catch (err) {
        log.warn({ err, task: task.name }, 'housekeeping task failed; it runs again next time');
      }
    }
    const any = Object.values(deleted).some((value) =>
      typeof value === 'number' ? value > 0 : Object.values(value).some((count) => count > 0),
    );
    if (any) log.info({ deleted }, 'housekeeping deleted expired rows');
    return deleted;
  }

  function schedule() {
    if (closed) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = null;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  }

  return {
    runOnce: pass,
    start: schedule,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
