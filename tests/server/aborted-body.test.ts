import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, startTestApp, type TestApp } from '../support/app.js';

describe('a client that goes away mid-body', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('when the connection closes before the body is complete, then nothing is logged as a server error, the access line says 499, and the next request is answered', async () => {
    const port = Number(new URL(t.baseUrl).port);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(
      `POST /api/v1/site/enquiries HTTP/1.1\r\nHost: localhost\r\nOrigin: ${ORIGINS.site}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Request-Id: aborted-upload-1\r\n\r\n{"name":"Ada",`,
    );
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    // The server notices the close on its next read; give it a moment.
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      await new Promise((r) => setTimeout(r, 20));
      line = t.logs.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l['requestId'] === 'aborted-upload-1' && l['msg'] === 'request');
    }
    expect(line).toMatchObject({ status: 499, operationId: 'submitEnquiry' });
    const errors = t.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter(
        (l) =>
          l['requestId'] === 'aborted-upload-1' &&
          l['level'] !== 'info' &&
          l['level'] !== 'debug' &&
          l['level'] !== 30 &&
          l['level'] !== 20,
      );
    expect(errors).toEqual([]);
    expect((await t.api().GET('/api/v1/health')).response.status).toBe(200);
  });
});
