import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, startTestApp, type TestApp } from '../support/app.js';

describe('a client that goes away mid-body', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('when the connection closes before the body is complete, then nothing is logged as a server error, the access line says 499, and the next request is answered', async () => {
    const port = Number(new URL(testApp.baseUrl).port);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(
      `POST /api/v1/site/enquiries HTTP/1.1\r\nHost: localhost\r\nOrigin: ${ORIGINS.site}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Request-Id: aborted-upload-1\r\n\r\n{"name":"Ada",`,
    );
    await new Promise((result) => setTimeout(result, 50));
    socket.destroy();
    // The server notices the close on its next read; give it a moment.
    let line: Record<string, unknown> | undefined;
    for (let index = 0; index < 50 && !line; index++) {
      await new Promise((result) => setTimeout(result, 20));
      line = testApp.logs.lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line['requestId'] === 'aborted-upload-1' && line['msg'] === 'request');
    }
    expect(line).toMatchObject({ status: 499, operationId: 'submitEnquiry' });
    const errors = testApp.logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter(
        (line) =>
          line['requestId'] === 'aborted-upload-1' &&
          line['level'] !== 'info' &&
          line['level'] !== 'debug' &&
          line['level'] !== 30 &&
          line['level'] !== 20,
      );
    expect(errors).toEqual([]);
    expect((await testApp.api().GET('/api/v1/health')).response.status).toBe(200);
  });
});
