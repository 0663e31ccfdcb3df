/**
 * `npm run bench:guard`: BalanceGuard's own JavaScript per request, on fake requests in this
 * process (no sockets, no node:http, no kernel), against the baseline's handler on the same
 * requests. The network bench (`npm run bench`) is what the targets are measured by; this one moves
 * by a few percent from run to run instead of twenty, so it shows what a change to the guard did.
 *
 *   (a) GET /api/v1/health           the guard and the health handler  vs the bare handler
 *   (b) invalid site enquiry -> 400  the guard, rejected by validation vs the bare handler + ajv
 *
 * Each with a new client address per request, as in the network bench, and access logging off and
 * on (to /dev/null). Env: GUARD_ROUNDS (15), GUARD_REQUESTS (20000 a round).
 */
import { EventEmitter } from 'node:events';
import { openSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import type { Handlers } from '../../generated/v1/handlers.js';
import { operationList, operations } from '../../generated/v1/operations.js';
import { createHealthModule } from '../../server/modules/health/index.js';
import { loadConfig } from '../../server/shared/config/config.js';
import type { RequestContext } from '../../server/shared/http/request-context.js';
import { createAccessLog } from '../../server/shared/logging/access-log.js';
import { fdDestination } from '../../server/shared/logging/fd-destination.js';
import { createBalanceGuard } from '../../server/shared/security/balanceguard/balanceguard.js';
import { createRateLimiter } from '../../server/shared/security/rate-limiter.js';
import { systemClock } from '../../server/shared/time/clock.js';
import { BENCH_SITE as SITE, benchApiEnv, benchClientIp } from './servers/api-env.js';
import { bareHandler } from './servers/bare-handler.js';

const ROUNDS = Number(process.env['GUARD_ROUNDS'] ?? 15);
const REQUESTS = Number(process.env['GUARD_REQUESTS'] ?? 20_000);
const INVALID_BODY = Buffer.from(
  JSON.stringify({
    name: '',
    email: 'not-an-email',
    message: 'x'.repeat(10),
    preferredContact: 'pigeon',
    extra: true,
  }),
);

// As in the network bench: the global enquiry limit raised so the guard is measured, not 429s.
(
  operations.submitEnquiry.guard.rateLimit as { global?: { limit: number; windowSeconds: number } }
).global = { limit: 1e9, windowSeconds: 60 };

function guardWith(accessLog: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  const config = loadConfig(
    { ...benchApiEnv(accessLog), DATABASE_URL: 'postgres://bench@127.0.0.1/unused' },
    [],
  );
  // Only the health handler answers here; the enquiry is refused before its handler would run.
  const health = createHealthModule({ db: null as never, version: '0.1.0' }).http;
  const handlers = new Proxy(health as Record<string, unknown>, {
    get: (target, name) =>
      target[name as string] ??
      (() => {
        throw new Error(`${String(name)} is not part of this bench`);
      }),
  }) as unknown as Handlers<RequestContext>;
  return createBalanceGuard({
    config,
    log: pino({ level: 'silent' }),
    clock: systemClock,
    operations: operationList,
    handlers,
    sessions: {} as never,
    idempotency: {} as never,
    rateLimiter: createRateLimiter(),
    accessLog: accessLog ? createAccessLog(fdDestination(openSync('/dev/null', 'a'))) : null,
  });
}

const socket = { remoteAddress: '127.0.0.1' };

/** What the guard and the bare handler read of a request: headers, method, URL, peer, and the body as events. */
class FakeRequest extends EventEmitter {
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly socket = socket;
  readonly headers: Record<string, string>;
  readonly rawHeaders: string[];
  constructor(
    readonly method: string,
    readonly url: string,
    ip: string,
    body: Buffer | null,
  ) {
    super();
    this.headers = body
      ? {
          host: 'api.example',
          'x-forwarded-for': ip,
          origin: SITE,
          'content-type': 'application/json',
          'content-length': String(body.length),
        }
      : { host: 'api.example', 'x-forwarded-for': ip };
    this.rawHeaders = Object.entries(this.headers).flat();
  }
  pause(): this {
    return this;
  }
}

class FakeResponse {
  headersSent = false;
  status = 0;
  bytes = 0;
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  end(payload?: string): void {
    this.bytes += payload?.length ?? 0;
    this.headersSent = true;
  }
  destroy(): void {}
}

type Scenario = 'health' | 'invalid';
let counter = 0;

/** ns per request for one round: requests in batches of 100, each batch's promises settled before the next. */
async function round(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  scenario: Scenario,
  expected: number,
): Promise<number> {
  const started = process.hrtime.bigint();
  for (let done = 0; done < REQUESTS; done += 100) {
    const answers: FakeResponse[] = [];
    for (let index = 0; index < 100; index++) {
      const ip = benchClientIp(++counter);
      const req =
        scenario === 'health'
          ? new FakeRequest('GET', '/api/v1/health', ip, null)
          : new FakeRequest('POST', '/api/v1/site/enquiries', ip, INVALID_BODY);
      const res = new FakeResponse();
      handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
      if (scenario === 'invalid') {
        req.emit('data', INVALID_BODY);
        req.emit('end');
      }
      answers.push(res);
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const res of answers)
      if (res.status !== expected) throw new Error(`answered ${res.status}, expected ${expected}`);
  }
  return Number(process.hrtime.bigint() - started) / REQUESTS;
}

const median = (xs: number[]) => {
  const text = [...xs].sort((left, right) => left - right);
  const minutes = text.length >> 1;
  return text.length % 2 ? text[minutes]! : (text[minutes - 1]! + text[minutes]!) / 2;
};

async function compare(
  label: string,
  scenario: Scenario,
  guard: (req: IncomingMessage, res: ServerResponse) => void,
  expected: number,
): Promise<void> {
  // Warm-up: both sides optimized before anything counts.
  await round(guard, scenario, expected);
  await round(bareHandler, scenario, expected);
  const pairs: number[] = [];
  const group: number[] = [];
  const second: number[] = [];
  for (let index = 0; index < ROUNDS; index++) {
    // The order alternates, so neither side always runs first.
    let amount: number;
    let other: number;
    if (index % 2 === 0) {
      amount = await round(guard, scenario, expected);
      other = await round(bareHandler, scenario, expected);
    } else {
      other = await round(bareHandler, scenario, expected);
      amount = await round(guard, scenario, expected);
    }
    group.push(amount);
    second.push(other);
    pairs.push(other / amount);
  }
  console.log(
    `${label.padEnd(44)} ${median(pairs).toFixed(2)}x  guard ${Math.round(median(group))} ns vs bare ${Math.round(median(second))} ns a request (guard's own cost ${Math.round(median(group) - median(second))} ns)`,
  );
}

console.log(
  `bench:guard: ${ROUNDS} pairs of ${REQUESTS} requests, in process, node ${process.version}; ratios are bare / guard of own JavaScript, not the network targets\n`,
);
const off = guardWith(false);
const on = guardWith(true);
await compare('(a) GET /health, access log off', 'health', off, 200);
await compare('(b) invalid enquiry 400, access log off', 'invalid', off, 400);
await compare('(a) GET /health, access log on', 'health', on, 200);
await compare('(b) invalid enquiry 400, access log on', 'invalid', on, 400);
