/**
 * Waiting for a condition instead of sleeping: `waitFor` resolves as soon as `check` returns
 * something truthy (and with that value), checking every `stepMs`; past `timeoutMs` it fails with
 * `what` and the last error the check threw. The bound only stops a broken test from hanging: a
 * test must never depend on it, nor assert how long anything took.
 * @example
 * const line = await waitFor(() => t.logs.lines.find((l) => l.includes('"status":499')), {
 *   what: 'the access line of the aborted request',
 * });
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; stepMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, stepMs = 10, what = 'the condition' } = options;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= end) {
      const cause = lastError instanceof Error ? ` (last check threw: ${lastError.message})` : '';
      throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/**
 * Yields one turn of the event loop (`setImmediate`), so sockets get to read and write in
 * between: a yield, not a delay. For loops that push bursts of work at sockets.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
