import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, startTestApp, type TestApp } from '../support/app.js';
import { IN_FLIGHT, rawConnection } from '../support/raw-connection.js';
import { waitFor } from '../support/wait.js';

describe('a client that goes away mid-body', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('when the connection closes before the body is complete, then nothing is logged as a server error, the access line says 499, and the next request is answered', async () => {
    const item = rawConnection(testApp.app.port);
    item.socket.write(
      `POST /api/v1/site/enquiries HTTP/1.1\r\nHost: localhost\r\nOrigin: ${ORIGINS.site}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 1000\r\nX-Request-Id: aborted-upload-1\r\n\r\n{"name":"Ada",`,
    );
    // The server has taken the request (its 100 Continue); the client goes away mid-body.
    await item.until(IN_FLIGHT);
    item.socket.destroy();
    const line = await waitFor(
      () =>
        testApp.logs.lines
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line['requestId'] === 'aborted-upload-1' && line['msg'] === 'request'),
      { what: 'the access line of the aborted request' },
    );
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
