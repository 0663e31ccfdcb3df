/**
 * BalanceGuard checks every answer of an operation against the contract in development and tests:
 * the status must be declared, and the body (a problem included) must match the declared schema.
 * A guard is built here around one real operation (getHealth) with a handler that misbehaves on
 * purpose; nothing else of the app is needed, so the other ports are left unused.
 */
import type { Handlers } from '../../generated/v1/handlers.js';
import { operationList } from '../../generated/v1/operations.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/shared/config/config.js';
import { AppError } from '../../server/shared/errors/app-error.js';
import type { IdempotencyStore } from '../../server/shared/http/idempotency.js';
import type { RequestContext } from '../../server/shared/http/request-context.js';
import { createHttpServer, type HttpServer } from '../../server/shared/http/server.js';
import { createLogger } from '../../server/shared/logging/logger.js';
import { createBalanceGuard } from '../../server/shared/security/balanceguard/balanceguard.js';
import {
  keepContractViolation,
  takeContractViolations,
} from '../../server/shared/security/balanceguard/contract-check.js';
import { createRateLimiter } from '../../server/shared/security/rate-limiter.js';
import { systemClock } from '../../server/shared/time/clock.js';
import { LogCapture } from '../support/app.js';
import { assertNoContractViolations } from '../support/contract-violations.js';
import { typedClient } from '../support/typed-client.js';

type Env = 'test' | 'development';
type HealthHandler = () => Promise<{ status: number; body?: unknown }>;

const running: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((httpServer) => httpServer.close(1_000)));
});

async function callHealth(env: Env, getHealth: HealthHandler) {
  const logs = new LogCapture();
  const log = createLogger({ level: 'debug', destination: logs });
  const config = loadConfig(
    {
      NODE_ENV: env,
      PORT: '0',
      LOG_LEVEL: 'debug',
      BK_ACCESS_LOG: 'false',
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    },
    [],
  );
  const guard = createBalanceGuard({
    config,
    log,
    clock: systemClock,
    operations: operationList.filter((op) => op.operationId === 'getHealth'),
    handlers: { getHealth } as unknown as Handlers<RequestContext>,
    sessions: { resolve: async () => null },
    idempotency: {} as IdempotencyStore,
    rateLimiter: createRateLimiter(),
  });
  const server = createHttpServer({ handler: guard, log, production: false });
  running.push(server);
  const port = await server.listen(0, '127.0.0.1');
  const res = await typedClient(`http://127.0.0.1:${port}`).GET('/api/v1/health');
  return { res, logs };
}

const errorLines = (logs: LogCapture) =>
  logs.lines
    .map(
      (line) =>
        JSON.parse(line) as { level: string; msg: string; operationId?: string; status?: number },
    )
    .filter((line) => line.level === 'error');

describe('BalanceGuard checks every answer against the contract', () => {
  it('when an operation answers a problem status it does not declare in tests, then the answer is a 500 and an error is logged naming the operation and status', async () => {
    expect(
      operationList.find((op) => op.operationId === 'getHealth')!.responses['403'],
    ).toBeUndefined();
    const { res, logs } = await callHealth('test', async () => {
      throw new AppError('AUTH.FORBIDDEN');
    });
    expect(res.response.status).toBe(500);
    expect(res.error?.code).toBe('SERVER.INTERNAL');
    const errors = errorLines(logs);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ operationId: 'getHealth', status: 403 });
    expect(errors[0]!.msg).toMatch(/CONTRACT VIOLATION/);
    expect(takeContractViolations()).toEqual([
      expect.objectContaining({ operationId: 'getHealth', status: 403 }),
    ]);
  });

  it('when an operation answers a problem status it does not declare in development, then the answer goes out as it is and an error is logged', async () => {
    const { res, logs } = await callHealth('development', async () => {
      throw new AppError('AUTH.FORBIDDEN');
    });
    expect(res.response.status).toBe(403);
    expect(res.error?.code).toBe('AUTH.FORBIDDEN');
    expect(errorLines(logs)).toEqual([
      expect.objectContaining({ operationId: 'getHealth', status: 403 }),
    ]);
    expect(takeContractViolations()).toEqual([]);
  });

  it('when a declared problem status carries a body that breaks the Problem schema in tests, then the answer is a 500 and an error is logged', async () => {
    expect(
      operationList.find((op) => op.operationId === 'getHealth')!.responses['429'],
    ).toBeDefined();
    const { res, logs } = await callHealth('test', async () => {
      throw new AppError('REQUEST.RATE_LIMITED', { detail: 'x'.repeat(5000) });
    });
    expect(res.response.status).toBe(500);
    expect(errorLines(logs)).toEqual([
      expect.objectContaining({ operationId: 'getHealth', status: 429 }),
    ]);
    expect(takeContractViolations()).toEqual([
      expect.objectContaining({
        operationId: 'getHealth',
        status: 429,
        breach: expect.stringMatching(/detail/),
      }),
    ]);
  });

  it('when a handler answers a success status the contract does not declare in tests, then the answer is a 500 and an error is logged', async () => {
    const { res, logs } = await callHealth('test', async () => ({
      status: 201,
      body: { status: 'ok', version: '1' },
    }));
    expect(res.response.status).toBe(500);
    expect(errorLines(logs)).toEqual([
      expect.objectContaining({ operationId: 'getHealth', status: 201 }),
    ]);
    expect(takeContractViolations()).toEqual([
      expect.objectContaining({ operationId: 'getHealth', status: 201 }),
    ]);
  });

  it('when a handler answers a declared status with a body that breaks its schema in development, then the answer goes out and an error is logged', async () => {
    const { res, logs } = await callHealth('development', async () => ({
      status: 200,
      body: { status: 'ok' },
    }));
    expect(res.response.status).toBe(200);
    expect(errorLines(logs)).toEqual([
      expect.objectContaining({ operationId: 'getHealth', status: 200 }),
    ]);
  });

  it('when an operation answers as its contract says, then nothing is logged at error level', async () => {
    const { res, logs } = await callHealth('test', async () => ({
      status: 200,
      body: { status: 'ok', version: '1.0.0' },
    }));
    expect(res.response.status).toBe(200);
    expect(errorLines(logs)).toEqual([]);
  });
});

describe('the test harness fails a test during which the contract was broken', () => {
  it('when a violation was kept, then the check run after every test throws naming the operation, status and breach', () => {
    keepContractViolation({
      operationId: 'getHealth',
      status: 418,
      requestId: 'req_harness',
      breach: 'status 418 is not declared by getHealth',
    });
    expect(() => assertNoContractViolations()).toThrow(
      /getHealth 418 \(req_harness\): status 418 is not declared/,
    );
    expect(() => assertNoContractViolations()).not.toThrow();
  });
});
