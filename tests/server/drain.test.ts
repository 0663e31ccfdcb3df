import { describe, expect, it } from 'vitest';
import { connectReady } from '../realtime/support.js';
import { startTestApp } from '../support/app.js';
import { IN_FLIGHT, rawConnection } from '../support/raw-connection.js';

describe('closing the app (SIGTERM drain)', () => {
  it('when the app closes with a WebSocket open, then the socket is told 1001 going away rather than cut, and close completes', async () => {
    const testApp = await startTestApp();
    const ws = await connectReady(testApp.baseUrl.replace(/^http/, 'ws'), 'site');
    await testApp.close();
    expect((await ws.closed).code).toBe(1001);
  });

  it('when the app closes with an idle keep-alive connection, then the server hangs it up', async () => {
    const testApp = await startTestApp();
    const item = rawConnection(testApp.app.port);
    item.socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await item.until(/\r\n\r\n\{.*\}$/s)).toMatch(/^HTTP\/1\.1 200 [\s\S]*keep-alive/i);
    await testApp.close();
    await item.closed;
    expect(item.socket.destroyed).toBe(true);
  });

  it('when a request on a kept-alive connection is in flight as the drain starts, then it is answered in full and the connection ends after it', async () => {
    const testApp = await startTestApp();
    const item = rawConnection(testApp.app.port);
    // The second request's headers are complete, its body is not: it is in flight when close starts.
    item.socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
    await item.until(/\r\n\r\n\{.*\}$/s);
    const body = JSON.stringify({
      name: 'Ada',
      email: 'ada@example.com',
      message: 'Meals for two, please.',
    });
    const before = item.received.length;
    item.socket.write(
      `POST /api/v1/site/enquiries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Forwarded-For: 203.0.113.5\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    // The server has taken the request (its 100 Continue) before the drain begins.
    await item.until(IN_FLIGHT);
    const closing = testApp.close();
    item.socket.write(body.slice(5));
    await item.closed;
    await closing;
    const second = item.received.slice(before);
    expect(second).toMatch(
      /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 [\s\S]*"status":"received"/,
    );
  });
});
