/**
 * The HTTP half of `npm run mock`: Prism, run as a child process on a private port, behind a small
 * proxy on the public port. The proxy exists for three things Prism 5.14 gets wrong for our
 * frontends (docs/mock.md explains each):
 *
 * - CORS with credentials: Prism sends `Access-Control-Expose-Headers: *`, which a credentialed
 *   request reads literally, so `X-Request-Id` and `Retry-After` would be invisible to `fetch`.
 *   The proxy lists the headers the contract declares and adds `Vary: Origin`.
 * - Validation failures: Prism answers a bad request with the operation's 422 example (its
 *   preference is 422, then 400). Our contract says a broken request is a 400
 *   `REQUEST.VALIDATION_FAILED` with `errors[]`, as BalanceGuard answers; the proxy builds that
 *   problem from Prism's `sl-violations` header.
 * - The shared `Set-Cookie` header example names the client cookie; on `/api/v1/<surface>/...` the
 *   proxy renames it to that surface's cookie, so an admin sign-in on the mock sets `bk_admin_session`.
 * - CSRF: Prism answers any unmet security requirement with 401. The real API answers an unsafe
 *   request that has its session cookie but no `X-CSRF-Token` with 403 `AUTH.CSRF_FAILED`, and so
 *   does the proxy, so a frontend that forgets the header sees the error it will see in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { errorCatalogue, type ProblemCode } from '../../generated/v1/errors.js';
import {
  csrfOperations,
  declaredResponseHeaders,
  preparePrismDocument,
  sessionCookiesBySurface,
} from './prism-document.js';

export interface HttpMockOptions {
  /** The bundled OpenAPI document (generated/v1/openapi.json), parsed. */
  document: Record<string, unknown>;
  port: number;
  host?: string;
  /** Receives Prism's log lines; omit to drop them. */
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface HttpMock {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface PrismViolation {
  location?: string[];
  severity?: string;
  code?: string | number;
  message?: string;
}

const require = createRequire(import.meta.url);

export async function startHttpMock(opts: HttpMockOptions): Promise<HttpMock> {
  const host = opts.host ?? '127.0.0.1';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bk-mock-'));
  const docPath = path.join(dir, 'openapi.prism.json');
  await writeFile(docPath, JSON.stringify(preparePrismDocument(opts.document)));

  let prism: Prism | undefined;
  let proxy: http.Server | undefined;
  try {
    prism = await startPrism(docPath, await freePort(), opts.log, opts.startTimeoutMs ?? 60_000);
    proxy = createProxy(prism.port, opts.document);
    await listen(proxy, opts.port, host);
  } catch (err) {
    await prism?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const port = (proxy.address() as AddressInfo).port;
  const server = proxy;
  const child = prism;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Prism {
  port: number;
  stop(): Promise<void>;
}

async function startPrism(
  docPath: string,
  port: number,
  log: ((line: string) => void) | undefined,
  timeoutMs: number,
): Promise<Prism> {
  const bin = require.resolve('@stoplight/prism-cli/dist/index.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'mock', docPath, '-p', String(port), '-h', '127.0.0.1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > 200) output.shift();
      log?.(line);
      if (line.includes('Prism is listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onLine(line);
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${signal ?? code}) before listening:\n${output.join('\n')}`));
    });
  });
  return {
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Writes a problem+json answer with a code from the error catalogue, as BalanceGuard would. */
function sendProblem(
  res: http.ServerResponse,
  code: ProblemCode,
  fields: { detail: string; requestId?: string; errors?: unknown[] },
  headers: http.OutgoingHttpHeaders = {},
): void {
  const entry = errorCatalogue[code];
  const requestId = fields.requestId ?? `req_mock_${randomUUID()}`;
  const body = JSON.stringify({
    type: `/docs/errors#${code}`,
    title: entry.title,
    status: entry.status,
    code,
    detail: fields.detail,
    requestId,
    ...(fields.errors ? { errors: fields.errors } : {}),
  });
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  res.writeHead(entry.status, {
    ...headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

function createProxy(prismPort: number, document: Record<string, unknown>): http.Server {
  const exposed = [
    'X-Request-Id',
    ...declaredResponseHeaders(document).filter((header) => header !== 'X-Request-Id'),
  ].join(', ');
  const cookies = sessionCookiesBySurface(document);
  const csrf = csrfOperations(document);
  const cors = (origin: string | undefined): http.OutgoingHttpHeaders =>
    origin
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': exposed,
          vary: 'Origin',
        }
      : {};

  return http.createServer((req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0]!;
    const needsToken = csrf.find((op) => op.method === req.method && op.pattern.test(urlPath));
    if (
      needsToken &&
      hasCookie(req.headers.cookie, needsToken.cookie) &&
      !req.headers['x-csrf-token']
    ) {
      req.resume();
      sendProblem(
        res,
        'AUTH.CSRF_FAILED',
        { detail: 'The X-CSRF-Token header is missing or wrong.' },
        cors(req.headers.origin),
      );
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: prismPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${prismPort}` },
      },
      (up) => {
        const headers: http.OutgoingHttpHeaders = { ...up.headers, ...cors(req.headers.origin) };
        const surface = /^\/api\/v\d+\/([a-z]+)\//.exec(req.url ?? '')?.[1];
        const cookie = surface ? cookies[surface] : undefined;
        const setCookie = up.headers['set-cookie'];
        if (cookie && setCookie) {
          headers['set-cookie'] = setCookie.map((char) =>
            char.replace(
              /^(__Host-)?bk_[a-z]+_session=/,
              (_m, prefix: string | undefined) => `${prefix ?? ''}${cookie}=`,
            ),
          );
        }

        const violations = requestViolations(up.headers['sl-violations']);
        if ((up.statusCode === 422 || up.statusCode === 400) && violations.length > 0) {
          up.resume();
          sendProblem(
            res,
            'REQUEST.VALIDATION_FAILED',
            {
              detail: `${violations.length} ${violations.length === 1 ? 'field' : 'fields'} failed validation.`,
              ...(typeof up.headers['x-request-id'] === 'string'
                ? { requestId: up.headers['x-request-id'] }
                : {}),
              errors: violations.slice(0, 100).map(toFieldError),
            },
            headers,
          );
          return;
        }
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (res.headersSent) return res.destroy(err);
      sendProblem(
        res,
        'SERVICE.UNAVAILABLE',
        { detail: `Prism did not answer: ${err.message}` },
        cors(req.headers.origin),
      );
    });
    req.pipe(upstream);
  });
}

function hasCookie(header: string | undefined, name: string): boolean {
  return (header ?? '').split(';').some((part) => part.trim().startsWith(`${name}=`));
}

function requestViolations(header: string | string[] | undefined): PrismViolation[] {
  if (typeof header !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(header);
    if (!Array.isArray(parsed)) return [];
    return (parsed as PrismViolation[]).filter(
      (prismViolation) =>
        prismViolation.location?.[0] === 'request' &&
        prismViolation.severity === 'Error' &&
        prismViolation.code !== 401 &&
        prismViolation.code !== 415,
    );
  } catch {
    return [];
  }
}

/** Prism locates a violation as `['request', 'body', 'email']`; ours is the RFC 6901 pointer `/body/email`. */
function toFieldError(prismViolation: PrismViolation): {
  pointer: string;
  message: string;
  keyword?: string;
} {
  const segments = (prismViolation.location ?? []).slice(1).map(String);
  const message = prismViolation.message ?? 'is not valid';
  const missing = /required property '([^']+)'/.exec(message)?.[1];
  const extra = /additional properties; found '([^']+)'/.exec(message)?.[1];
  if (missing) segments.push(missing);
  else if (extra) segments.push(extra);
  const pointer = segments
    .map((segment) => '/' + segment.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('');
  return {
    pointer: pointer.slice(0, 1024),
    message: message.slice(0, 1024),
    ...(typeof prismViolation.code === 'string'
      ? { keyword: prismViolation.code.slice(0, 64) }
      : {}),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await listen(server, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
