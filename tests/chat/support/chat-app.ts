import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../../../generated/v1/handlers.js';
import { operationList } from '../../../generated/v1/operations.js';
import { noSocketsFanout } from '../../../server/compose.js';
import { createChatModule, type ChatModule } from '../../../server/modules/chat/index.js';
import {
  createIdentityModule,
  type IdentityModule,
} from '../../../server/modules/identity/index.js';
import { loadConfig } from '../../../server/shared/config/config.js';
import { createDb, type Db } from '../../../server/shared/db/db.js';
import { migrate } from '../../../server/shared/db/migrate.js';
import { createIdempotencyStore } from '../../../server/shared/http/idempotency.js';
import type { RequestContext } from '../../../server/shared/http/request-context.js';
import { createHttpServer } from '../../../server/shared/http/server.js';
import { createLogger, type Logger } from '../../../server/shared/logging/logger.js';
import type { WsActor, WsChannel } from '../../../server/shared/realtime/realtime.port.js';
import { createBalanceGuard } from '../../../server/shared/security/balanceguard/balanceguard.js';
import { createRateLimiter } from '../../../server/shared/security/rate-limiter.js';
import { manualClock, type ManualClock } from '../../../server/shared/time/clock.js';
import { LogCapture, ORIGINS } from '../../support/app.js';
import { createTestDatabase } from '../../support/database.js';
import { request, type RawRequest, type RawResponse } from '../../support/http.js';
import { sessionCookie, typedClient, type ApiClient } from '../../support/typed-client.js';
import { RealtimeDouble, type TestConnection } from './realtime-double.js';

export const PASSWORD = 'slow-cooked lentils on tuesday';

export interface ChatInstance {
  chat: ChatModule;
  ws: ChatModule['ws'];
  realtime: RealtimeDouble;
  /** Opens a socket on this instance for a signed-in user (client/admin) or a site guest. */
  connect(channel: WsChannel, user?: TestUser | null, query?: string): Promise<TestConnection>;
  disconnect(testConnection: TestConnection): void;
}

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
  role: 'client' | 'staff' | 'admin' | 'super_admin';
  surface: 'client' | 'admin';
  cookie: string;
  csrfToken: string;
  sessionId: string;
  permissions: string[];
  headers(extra?: Record<string, string>): Record<string, string>;
  /** The generated typed client on this user's session (cookie, Origin, CSRF token). */
  api: ApiClient;
}

/**
 * The real HTTP stack (BalanceGuard, identity, chat) on a fresh test database, until
 * `server/main.ts` wires chat; the realtime side is the in-memory double. A second chat instance
 * on the same database stands for a second API process.
 */
export interface ChatTestApp {
  baseUrl: string;
  db: Db;
  clock: ManualClock;
  logs: LogCapture;
  log: Logger;
  identity: IdentityModule;
  a: ChatInstance;
  b: ChatInstance;
  /** A raw request, only for what the typed client cannot send (a body the contract forbids). */
  request(req: RawRequest): Promise<RawResponse>;
  /** A user inserted directly (clients have no create operation) and signed in on their surface. */
  user(role?: TestUser['role'], displayName?: string): Promise<TestUser>;
  /** Relays committed outbox events to both instances. */
  relay(): Promise<void>;
  close(): Promise<void>;
}

let passwordHash: Promise<string> | null = null;

export async function startChatTestApp(): Promise<ChatTestApp> {
  const database = await createTestDatabase();
  const logs = new LogCapture();
  const clock = manualClock(new Date());
  const config = loadConfig(
    { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'debug', BK_TRUSTED_PROXIES: '127.0.0.1' },
    [],
    {},
  );
  const log = createLogger({ level: 'debug', destination: logs });
  const db = createDb(database.url, { max: 20 });
  await migrate(db);
  // Chat's tests close no socket for an ended session: identity's reaction is left out.
  const identity = createIdentityModule({ db, clock, log, fanout: noSocketsFanout });

  function instance(): ChatInstance {
    const realtime = new RealtimeDouble(db);
    const chat = createChatModule({ db, log, users: identity, fanout: realtime });
    return {
      chat,
      ws: chat.ws,
      realtime,
      connect: (channel, user, query = '') => {
        const actor: WsActor | null = user
          ? {
              kind: 'user',
              userId: user.id,
              role: user.role,
              permissions: user.permissions,
              sessionId: user.sessionId,
              displayName: user.displayName,
            }
          : null;
        return realtime.connect(chat.lifecycle, channel, actor, query, log);
      },
      disconnect: (testConnection) => realtime.disconnect(chat.lifecycle, testConnection),
    };
  }
  const left = instance();
  const right = instance();
  left.realtime.link(right.realtime);
  right.realtime.link(left.realtime);

  const handlers = {
    ...identity.http,
    ...left.chat.http,
  } as unknown as Handlers<RequestContext>;
  const guard = createBalanceGuard({
    config,
    log,
    clock,
    operations: operationList,
    handlers,
    sessions: identity.sessions,
    idempotency: createIdempotencyStore(db),
    rateLimiter: createRateLimiter(),
  });
  const http = createHttpServer({ handler: guard, log, production: false });
  const port = await http.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  let count = 0;

  const app: ChatTestApp = {
    baseUrl,
    db,
    clock,
    logs,
    log,
    identity,
    a: left,
    b: right,
    request: (req) => request(baseUrl, req),
    async user(role = 'client', displayName) {
      count += 1;
      const id = randomUUID();
      const email = `${role}${count}.${id.slice(0, 8)}@example.com`;
      passwordHash ??= hash(PASSWORD, {
        algorithm: 2 as never,
        memoryCost: 19456,
        timeCost: 2,
        parallelism: 1,
      });
      const name = displayName ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${count}`;
      await db.query(
        'INSERT INTO users (id, email, display_name, role, status, password_hash, password_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)',
        [id, email, name, role, 'active', await passwordHash, clock.now()],
      );
      const surface = role === 'client' ? 'client' : 'admin';
      const { data, error, response } = await typedClient(baseUrl, {
        origin: ORIGINS[surface],
      }).POST(`/api/v1/${surface}/auth/login`, { body: { email, password: PASSWORD } });
      if (!data) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(error)}`);
      const cookie = sessionCookie(response);
      const session = await identity.sessions.resolve(
        surface,
        decodeURIComponent(cookie.split('=').slice(1).join('=')),
        clock.now(),
      );
      const headers = (extra: Record<string, string> = {}) => ({
        cookie,
        origin: ORIGINS[surface],
        'x-csrf-token': data.csrfToken,
        ...extra,
      });
      return {
        id,
        email,
        displayName: name,
        role,
        surface,
        cookie,
        csrfToken: data.csrfToken,
        sessionId: session?.sessionId ?? randomUUID(),
        permissions: [...(session?.permissions ?? [])],
        headers,
        api: typedClient(baseUrl, headers()),
      };
    },
    async relay() {
      await left.realtime.relay();
      await right.realtime.relay();
    },
    async close() {
      await http.close(1000);
      await db.close();
      await database.drop();
    },
  };
  return app;
}

let cmid = 0;
/** A fresh clientMessageId. */
export function clientMessageId(): string {
  cmid += 1;
  return `c-${cmid}-${randomUUID().slice(0, 12)}`;
}
