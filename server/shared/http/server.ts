import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorCatalogue } from '../../../generated/v1/errors.js';
import type { Logger } from '../logging/logger.js';
import { MAX_REQUEST_HEADERS, securityHeaders } from './headers.js';

export interface HttpServer {
  server: http.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), then closes the rest. */
  close(timeoutMs: number): Promise<void>;
}

/** A raw problem response for errors Node's parser raises before any handler runs (431, 400). */
function rawProblem(status: 400 | 408 | 431, production: boolean): string {
  const code = status === 431 ? 'REQUEST.HEADERS_TOO_LARGE' : 'REQUEST.INVALID_JSON';
  const body = JSON.stringify(
    status === 431
      ? { type: `/docs/errors#${code}`, title: errorCatalogue[code].title, status, code }
      : {
          type: '/docs/errors#REQUEST.VALIDATION_FAILED',
          title: 'Bad request',
          status,
          code: 'REQUEST.VALIDATION_FAILED',
        },
  );
  const reason =
    status === 431
      ? 'Request Header Fields Too Large'
      : status === 408
        ? 'Request Timeout'
        : 'Bad Request';
  const headers = Object.entries({
    ...securityHeaders(production),
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  })
    .map(([key, value]) => `${key}: ${value}`)
    .join('\r\n');
  return `HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n\r\n${body}`;
}

/** Node's parser rejected the request before BalanceGuard saw it: a bare problem, then close. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, production: boolean): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  socket.end(rawProblem(status, production));
}

/**
 * The node:http server around BalanceGuard, with limits on headers and slow clients, and a
 * graceful close.
 */
export function createHttpServer(options: {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  log: Logger;
  production: boolean;
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}): HttpServer {
  let draining = false;
  const server = http.createServer(
    {
      maxHeaderSize: 16 * 1024,
      requestTimeout: 30_000,
      headersTimeout: 15_000,
      keepAliveTimeout: 5_000,
      // Node would answer a missing Host with its own bare 400 before BalanceGuard runs; and when
      // more than maxHeadersCount headers arrive, a Host sent after them is dropped, so 2,001
      // headers would get that bare 400 instead of our 431. BalanceGuard checks Host itself.
      requireHostHeader: false,
    },
    // While draining, answers say `Connection: close` and the socket closes after them.
    (req, res) => {
      if (draining) res.shouldKeepAlive = false;
      options.handler(req, res);
    },
  );
  // Keep one header more than allowed so BalanceGuard can see the excess and answer 431.
  server.maxHeadersCount = MAX_REQUEST_HEADERS + 1;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(err, socket, options.production),
  );
  if (options.onUpgrade) server.on('upgrade', options.onUpgrade);

  // Every socket, upgraded ones included, so a drain that runs out of time can cut them all.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      });
    },
    close(timeoutMs) {
      return new Promise((resolve) => {
        draining = true;
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
          resolve();
        }, timeoutMs);
        timer.unref();
        // Idle keep-alive connections close now, and a connection finishing a request closes as
        // soon as it falls idle. Node knows which HTTP connections are idle (upgraded WebSockets are
        // not among them: the realtime server closes those with 1001), so no request is tracked here.
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        sweep.unref();
        server.close(() => {
          clearTimeout(timer);
          clearInterval(sweep);
          resolve();
        });
      });
    },
  };
}
