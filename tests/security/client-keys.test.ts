/**
 * Whom a rate limit counts: a signed-in actor by its session id (never by the cookie text, so
 * made-up cookies cannot each open a bucket), and a client by its network: an IPv4 address, or the
 * /64 an IPv6 address is in (one subscriber's LAN), with IPv4-mapped IPv6 counted as IPv4.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../generated/v1/handlers.js';
import { operationList, operations } from '../../generated/v1/operations.js';
import { loadConfig } from '../../server/shared/config/config.js';
import type { IdempotencyStore } from '../../server/shared/http/idempotency.js';
import type { RequestContext, SessionInfo } from '../../server/shared/http/request-context.js';
import { createHttpServer, type HttpServer } from '../../server/shared/http/server.js';
import { createLogger } from '../../server/shared/logging/logger.js';
import { createBalanceGuard } from '../../server/shared/security/balanceguard/balanceguard.js';
import { createRateLimiter } from '../../server/shared/security/rate-limiter.js';
import { systemClock } from '../../server/shared/time/clock.js';
import { LogCapture, ORIGINS, startTestApp, type TestApp } from '../support/app.js';
import { request } from '../support/http.js';
import { typedClient } from '../support/typed-client.js';
import { refusedUpgrade } from '../realtime/support.js';
import { openapi } from '../support/contract.js';

/** `RateLimit` items by policy name. */
function quota(header: string | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of String(header ?? '').split(/\s*,\s*/)) {
    const match = /^"([a-z]+)";r=(\d+);t=\d+$/.exec(item);
    if (match) out[match[1]!] = Number(match[2]);
  }
  return out;
}

describe('the per-actor key is the session id', () => {
  // BalanceGuard around one real operation (clientMe), with a session port that knows two tokens
  // of one session, and a limiter the test can look into.
  const running: HttpServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((httpServer) => httpServer.close(1_000)));
  });

  const session: SessionInfo = {
    sessionId: '3f1d6b1e-8c2a-4d7e-9b5f-0a1b2c3d4e5f',
    userId: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
    email: 'client@example.com',
    displayName: 'Casey Client',
    role: 'client',
    permissions: [],
    csrfToken: 'Jm3v0sQk1b9yXr2T5uW8zA4cE7gH0iL3nP6qS9tV2wY',
    createdAt: new Date('2026-11-01T09:00:00.000Z'),
    idleExpiresAt: new Date('2026-11-27T10:45:00.000Z'),
    absoluteExpiresAt: new Date('2026-11-27T22:15:00.000Z'),
  };
  const TOKEN_A = 'a'.repeat(43);
  const TOKEN_B = 'b'.repeat(43);

  async function guarded() {
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'warn',
        BK_ACCESS_LOG: 'false',
        DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      },
      [],
    );
    const rateLimiter = createRateLimiter();
    const body = openapi.components.examples.ClientAuthSession!.value;
    const guard = createBalanceGuard({
      config,
      log: createLogger({ level: 'warn', destination: new LogCapture() }),
      clock: systemClock,
      operations: operationList.filter((op) => op.operationId === 'clientMe'),
      handlers: {
        clientMe: async () => ({ status: 200, body }),
      } as unknown as Handlers<RequestContext>,
      sessions: {
        resolve: async (_surface, token) =>
          token === TOKEN_A || token === TOKEN_B ? session : null,
      },
      idempotency: {} as IdempotencyStore,
      rateLimiter,
    });
    const server = createHttpServer({
      handler: guard,
      log: createLogger({ level: 'warn' }),
      production: false,
    });
    running.push(server);
    const port = await server.listen(0, '127.0.0.1');
    const me = (cookie: string) =>
      request(`http://127.0.0.1:${port}`, {
        path: '/api/v1/client/auth/me',
        headers: { cookie: `bk_client_session=${cookie}`, origin: ORIGINS.client },
      });
    return { rateLimiter, me };
  }

  it('when 50 requests carry 50 made-up session cookies, then each is 401 and counted for the address only: no per-actor bucket is made for any of them', async () => {
    const { rateLimiter, me } = await guarded();
    for (let index = 0; index < 50; index++) {
      const res = await me(randomBytes(32).toString('base64url'));
      expect(res.status).toBe(401);
      expect(Object.keys(quota(res.headers['ratelimit'] as string))).toEqual(['ip']);
    }
    // One key: the address. Keyed by the cookie text there would be 51.
    expect(rateLimiter.size).toBe(1);
  });

  it('when one session is reached by two cookie values, then both count against one actor quota', async () => {
    const { me } = await guarded();
    const left: number[] = [];
    for (const token of [TOKEN_A, TOKEN_B, TOKEN_A, TOKEN_B]) {
      const res = await me(token);
      expect(res.status).toBe(200);
      left.push(quota(res.headers['ratelimit'] as string)['actor']!);
    }
    const limit = operations.clientMe.guard.rateLimit.actor!.limit;
    expect(left).toEqual([limit - 1, limit - 2, limit - 3, limit - 4]);
  });
});

describe('client networks', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  const ipLeft = async (ip: string) => {
    const { response } = await typedClient(testApp.baseUrl, { 'x-forwarded-for': ip }).GET(
      '/api/v1/health',
    );
    expect(response.status).toBe(200);
    return quota(response.headers.get('ratelimit'))['ip'];
  };
  const limit = operations.getHealth.guard.rateLimit.ip!.limit;

  it('when two IPv6 addresses of one /64 call, then they share one per-IP quota; an address of the next /64 has its own', async () => {
    expect(await ipLeft('2001:db8:1:2::a')).toBe(limit - 1);
    expect(await ipLeft('2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe(limit - 2);
    expect(await ipLeft('2001:DB8:1:2:0:0:0:b')).toBe(limit - 3);
    expect(await ipLeft('2001:db8:1:3::a')).toBe(limit - 1);
  });

  it('when an IPv4-mapped IPv6 address calls, then it shares the quota of its IPv4 address', async () => {
    expect(await ipLeft('::ffff:198.51.100.20')).toBe(limit - 1);
    expect(await ipLeft('198.51.100.20')).toBe(limit - 2);
    expect(await ipLeft('::FFFF:c633:6414')).toBe(limit - 3);
  });

  it('when one /64 floods WebSocket upgrades, then another address of that /64 is refused too, while the next /64 is not', async () => {
    const wsUrl = testApp.baseUrl.replace(/^http/, 'ws');
    const upgrade = (ip: string) =>
      refusedUpgrade(wsUrl, '/ws/v1/client', {
        origin: ORIGINS.client,
        cookie: `bk_client_session=${randomBytes(32).toString('base64url')}`,
        'x-forwarded-for': ip,
      });
    let limited = false;
    for (let index = 1; index <= 300 && !limited; index++)
      limited = (await upgrade(`2001:db8:9:9::${index.toString(16)}`)).status === 429;
    expect(limited).toBe(true);
    expect((await upgrade('2001:db8:9:9:abcd::1')).status).toBe(429);
    expect((await upgrade('2001:db8:9:a::1')).status).toBe(401);
  });
});
