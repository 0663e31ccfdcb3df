/**
 * `npm run mock`: the contract served from its examples, for frontends to build against before
 * the backend exists. HTTP through Prism (behind a small CORS/validation proxy), WebSockets
 * through our own mock of every AsyncAPI channel.
 *
 * @example
 * const mock = await startMock({ httpPort: 0, wsPort: 0 });
 * await fetch(`${mock.httpUrl}/api/v1/health`);
 * await mock.close();
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startHttpMock } from './http-mock.js';
import { startWsMock } from './ws-mock.js';

export {
  preparePrismDocument,
  operations,
  declaredResponseHeaders,
  sessionCookiesBySurface,
  csrfOperations,
} from './prism-document.js';
export { outboundFrame, freshen, toFieldErrors } from './ws-mock.js';

export interface MockOptions {
  /** 4010 by default; 0 picks a free port. */
  httpPort?: number;
  /** 4011 by default; 0 picks a free port. */
  wsPort?: number;
  host?: string;
  /** Defaults to generated/v1/openapi.json. */
  openapiPath?: string;
  /** Receives Prism's log lines. */
  log?: (line: string) => void;
  wsReplyDelayMs?: number;
}

export interface Mock {
  httpUrl: string;
  httpPort: number;
  wsUrl: string;
  wsPort: number;
  /** `ws://…/ws/v1/site` per AsyncAPI channel. */
  channelUrls: Record<string, string>;
  close(): Promise<void>;
}

export const DEFAULT_OPENAPI = fileURLToPath(
  new URL('../../generated/v1/openapi.json', import.meta.url),
);

export async function startMock(opts: MockOptions = {}): Promise<Mock> {
  const host = opts.host ?? '127.0.0.1';
  const document = JSON.parse(
    await readFile(opts.openapiPath ?? DEFAULT_OPENAPI, 'utf8'),
  ) as Record<string, unknown>;
  const ws = await startWsMock({
    port: opts.wsPort ?? 4011,
    host,
    ...(opts.wsReplyDelayMs !== undefined ? { replyDelayMs: opts.wsReplyDelayMs } : {}),
  });
  let httpMock;
  try {
    httpMock = await startHttpMock({
      document,
      port: opts.httpPort ?? 4010,
      host,
      ...(opts.log ? { log: opts.log } : {}),
    });
  } catch (err) {
    await ws.close();
    throw err;
  }
  const http = httpMock;
  let closing: Promise<void> | undefined;
  return {
    httpUrl: http.url,
    httpPort: http.port,
    wsUrl: ws.url,
    wsPort: ws.port,
    channelUrls: ws.channelUrls,
    close() {
      closing ??= Promise.all([http.close(), ws.close()]).then(() => undefined);
      return closing;
    },
  };
}
