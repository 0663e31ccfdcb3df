import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fdDestination } from './fd-destination.js';

describe('fdDestination', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('when chunks are written to a file, then they arrive whole and in order, multi-byte characters included', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bk-fd-'));
    const file = path.join(dir, 'access.log');
    const fd = openSync(file, 'a');
    const out = fdDestination(fd);
    out.write('{"a":1}\n');
    out.write(`{"path":"/api/v1/café/${'é'.repeat(3000)}"}\n`);
    // Larger than the reused buffer, then small again.
    const big = `${'x'.repeat(100_000)}é\n`;
    out.write(big);
    // A multi-byte character that would straddle the end of the reused buffer.
    const straddle = `${'x'.repeat(2 ** 17 - 1)}é\n`;
    out.write(straddle);
    out.write('{"b":2}\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(
      `{"a":1}\n{"path":"/api/v1/café/${'é'.repeat(3000)}"}\n${big}${straddle}{"b":2}\n`,
    );
    expect(out.dropped).toBe(0);
  });

  it('when the descriptor takes part of a chunk, or is busy (EAGAIN), then the rest is written after it, nothing lost or doubled', () => {
    const received: Buffer[] = [];
    let calls = 0;
    const out = fdDestination(99, {
      writeSync: (_fd, buffer, offset, length) => {
        calls++;
        if (calls === 2) throw Object.assign(new Error('busy'), { code: 'EAGAIN' });
        const count = Math.min(5, length);
        received.push(buffer.subarray(offset, offset + count));
        return count;
      },
    });
    out.write('0123456789abcdef');
    expect(Buffer.concat(received).toString()).toBe('0123456789abcdef');
    expect(out.dropped).toBe(0);
  });

  it('when the descriptor fails for good, then the chunk is dropped and counted, the first failure reported once, and nothing throws', () => {
    const errors: Error[] = [];
    const out = fdDestination(99, {
      onError: (err) => errors.push(err),
      writeSync: () => {
        throw Object.assign(new Error('broken pipe'), { code: 'EPIPE' });
      },
    });
    expect(() => {
      out.write('one\n');
      out.write('two\n');
    }).not.toThrow();
    expect(out.dropped).toBe(2);
    expect(errors.map((error) => error.message)).toEqual(['broken pipe']);
  });
});
