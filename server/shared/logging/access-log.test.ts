import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccessLog } from './access-log.js';

function capture() {
  const writes: string[] = [];
  return {
    writes,
    destination: { write: (chunk: string) => writes.push(chunk) },
    lines: () =>
      writes
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createAccessLog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when a request is logged, then the line is JSON in the process logger shape with the fixed fields', () => {
    const out = capture();
    const log = createAccessLog(out.destination, {
      nowMs: () => Date.UTC(2026, 10, 27, 12, 0, 0, 5),
    });
    log.line(
      'req_abc_1',
      'POST',
      '/api/v1/site/enquiries',
      'submitEnquiry',
      400,
      0.7,
      '203.0.113.9',
    );
    log.flush();
    expect(out.lines()).toEqual([
      {
        level: 'info',
        time: '2026-11-27T12:00:00.005Z',
        requestId: 'req_abc_1',
        method: 'POST',
        path: '/api/v1/site/enquiries',
        operationId: 'submitEnquiry',
        status: 400,
        ms: 0.7,
        ip: '203.0.113.9',
        msg: 'request',
      },
    ]);
  });

  it('when the path or address holds quotes, control characters or a newline, then each line stays one valid JSON line', () => {
    const out = capture();
    const log = createAccessLog(out.destination);
    log.line(
      'req_abc_2',
      'GET',
      '/api/v1/"x"\n{"level":"fatal"}',
      undefined,
      404,
      0.1,
      '1.2.3.4", "admin":"yes\u0000',
    );
    log.flush();
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]!['path']).toBe('/api/v1/"x"\n{"level":"fatal"}');
    expect(lines[0]!['ip']).toBe('1.2.3.4", "admin":"yes\u0000');
    expect(lines[0]).not.toHaveProperty('operationId');
    expect(lines[0]).not.toHaveProperty('admin');
  });

  it('when a value holds a backslash, non-ASCII or DEL, then it is escaped as JSON and reads back unchanged', () => {
    const out = capture();
    const log = createAccessLog(out.destination);
    const path = '/api/v1/caf\u00e9/a\\b\u007f';
    log.line('req_abc_3', 'GET', path, 'getHealth', 404, 0.1, '::1');
    log.flush();
    expect(out.lines()[0]).toMatchObject({
      path,
      ip: '::1',
      requestId: 'req_abc_3',
      method: 'GET',
      operationId: 'getHealth',
    });
  });

  it('when a few lines are logged, then nothing is written until the flush interval passes, and then in one write', () => {
    const out = capture();
    const log = createAccessLog(out.destination, { flushMs: 100 });
    for (let index = 0; index < 3; index++)
      log.line(`req_abc_${index}`, 'GET', '/api/v1/health', 'getHealth', 200, 0.2, '10.0.0.1');
    expect(out.writes).toHaveLength(0);
    vi.advanceTimersByTime(99);
    expect(out.writes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(out.writes).toHaveLength(1);
    expect(out.lines()).toHaveLength(3);
  });

  it('when the pending lines pass the batch size, then they are written at once, without waiting for the timer', () => {
    const out = capture();
    const log = createAccessLog(out.destination, { flushMs: 100, batchBytes: 1024 });
    let count = 0;
    while (out.writes.length === 0 && count < 100)
      log.line(`req_abc_${count++}`, 'GET', '/api/v1/health', 'getHealth', 200, 0.2, '10.0.0.1');
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]!.length).toBeGreaterThanOrEqual(1024);
    expect(out.lines()).toHaveLength(count);
  });

  it('when flushed with nothing pending, then nothing is written', () => {
    const out = capture();
    createAccessLog(out.destination).flush();
    expect(out.writes).toEqual([]);
  });
});
