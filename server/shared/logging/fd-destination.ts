import { writeSync as fsWriteSync } from 'node:fs';

export interface FdDestination {
  /** Writes the whole chunk before returning. */
  write(chunk: string): void;
  /** Chunks dropped because the descriptor failed (closed pipe, full disk). */
  readonly dropped: number;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A synchronous writer on a file descriptor, for the access log's batches (a few KiB each). It
 * writes a batch in one `write(2)` where it can, and otherwise finishes a partial write, and waits
 * out EAGAIN on a non-blocking pipe (1 ms at a time) rather than lose lines. If the descriptor fails
 * for good (EPIPE, EBADF, ENOSPC), the batch is dropped and counted, and the first failure is
 * reported through `onError`: logging never takes a request down with it.
 *
 * pino's sync destination does the same job at about three times the cost per batch; this one does
 * only what the access log needs.
 * @example
 * const access = createAccessLog(fdDestination(1));
 */
export function fdDestination(
  fd: number,
  options: {
    onError?: (err: Error) => void;
    writeSync?: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  } = {},
): FdDestination {
  const write = options.writeSync ?? fsWriteSync;
  const onError =
    options.onError ??
    ((err: Error) =>
      process.emitWarning(
        `access log: writing to descriptor ${fd} failed, lines are being dropped: ${err.message}`,
      ));
  let dropped = 0;
  let reported = false;
  // Batches are encoded into one reused buffer: a fresh Buffer for each 4 KiB batch cost more than the write.
  let scratch = Buffer.allocUnsafe(64 * 1024);
  return {
    write(chunk: string): void {
      let length = scratch.write(chunk, 0, 'utf8');
      if (length > scratch.length - 4) {
        // It may not have fitted (write stops before a character that would not fit whole, up to 4
        // bytes early): encode it on its own, and keep a buffer that size for the next time.
        const whole = Buffer.from(chunk, 'utf8');
        if (whole.length > scratch.length)
          scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(whole.length)));
        length = whole.copy(scratch, 0);
      }
      let offset = 0;
      while (offset < length) {
        try {
          offset += write(fd, scratch, offset, length - offset);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
            Atomics.wait(pause, 0, 0, 1);
            continue;
          }
          dropped++;
          if (!reported) {
            reported = true;
            onError(err as Error);
          }
          return;
        }
      }
    },
    get dropped() {
      return dropped;
    },
  };
}
