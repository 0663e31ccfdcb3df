import { Writable } from 'node:stream';
import { startApp, type App } from '../../server/main.js';
import { loadConfig, type Config } from '../../server/shared/config/config.js';
import { manualClock, type ManualClock } from '../../server/shared/time/clock.js';
import { createTestDatabase } from './database.js';
import type { components } from '../../generated/v1/types.js';
import { request, type RawRequest, type RawResponse } from './http.js';
import {
  sessionCookie,
  typedClient,
  type ApiClient,
  type TypedClientOptions,
} from './typed-client.js';

/** Every log line the app wrote, for assertions (redaction) and for debugging a failure. */
export class LogCapture extends Writable {
  private readonly captured: string[] = [];
  /** Runs before the lines are read: the app's access log writes in batches, so it flushes here. */
  beforeRead: (() => void) | null = null;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.captured.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get lines(): readonly string[] {
    this.beforeRead?.();
    return this.captured;
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export const ORIGINS = {
  site: 'http://localhost:5173',
  client: 'http://localhost:5174',
  admin: 'http://localhost:5175',
  evil: 'https://evil.example',
} as const;

export interface TestApp {
  app: App;
  baseUrl: string;
  /** The test database's URL (for a second process or instance on the same data). */
  databaseUrl: string;
  clock: ManualClock;
  logs: LogCapture;
  /** The generated typed client with these headers (and `X-Forwarded-For: <ip>` when `ip` is given). */
  api(headers?: Record<string, string>, options?: TypedClientOptions): ApiClient;
  /**
   * A raw request, only for what the typed client cannot send (bad bytes, wrong types, paths or
   * methods outside the contract); sends `X-Forwarded-For: <ip>` when `ip` is given.
   */
  request(req: RawRequest & { ip?: string }): Promise<RawResponse>;
  close(): Promise<void>;
}

/**
 * Boots the real server in-process on port 0 against a fresh database on the test Postgres, with
 * a manual clock, captured debug logs and 127.0.0.1 as a trusted proxy (so tests can act as many
 * client addresses).
 */
export async function startTestApp(
  options: { config?: Partial<Config>; env?: Record<string, string>; start?: Date } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const logs = new LogCapture();
  const clock = manualClock(options.start ?? new Date());
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'debug',
      BK_ACCESS_LOG: 'true',
      BK_TRUSTED_PROXIES: '127.0.0.1',
      ...options.env,
    },
    [],
    options.config ?? {},
  );
  let app: App;
  try {
    app = await startApp({ config, databaseUrl: database.url, clock, logDestination: logs });
    const started = app;
    logs.beforeRead = () => started.flushLogs();
  } catch (err) {
    await database.drop();
    throw err;
  }
  return {
    app,
    baseUrl: app.url,
    databaseUrl: database.url,
    clock,
    logs,
    api: (headers, apiOptions) => typedClient(app.url, headers, apiOptions),
    request: ({ ip, ...req }) =>
      request(
        app.url,
        ip ? { ...req, headers: { 'x-forwarded-for': ip, ...(req.headers ?? {}) } } : req,
      ),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export type AuthSession = components['schemas']['AuthSession'];

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  body: AuthSession;
  /** Headers for a request on this session: cookie, exact Origin, CSRF token. */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** The typed client on this session (its `headers()` on every request). */
  api: ApiClient;
}

/** Signs in through the real login operation of a surface (on any server: `{ baseUrl }`). */
export async function signIn(
  target: { baseUrl: string },
  surface: 'client' | 'admin',
  email: string,
  password: string,
  ip?: string,
): Promise<SignedIn> {
  const { data, error, response } = await typedClient(
    target.baseUrl,
    { origin: ORIGINS[surface] },
    ip ? { ip } : {},
  ).POST(`/api/v1/${surface}/auth/login`, { body: { email, password } });
  if (!data)
    throw new Error(
      `sign-in as ${email} on ${surface} failed: ${response.status} ${JSON.stringify(error)}`,
    );
  const cookie = sessionCookie(response);
  const headers = (extra: Record<string, string> = {}) => ({
    cookie,
    origin: ORIGINS[surface],
    'x-csrf-token': data.csrfToken,
    ...extra,
  });
  return {
    cookie,
    csrfToken: data.csrfToken,
    body: data,
    headers,
    api: typedClient(target.baseUrl, headers()),
  };
}
