import Stripe from 'stripe';
import type { Handlers } from '../../../generated/v1/handlers.js';
import { operationList } from '../../../generated/v1/operations.js';
import {
  createBillingModule,
  type BillingModule,
  type PaymentProvider,
} from '../../../server/modules/billing/index.js';
import { createCreditsModule, type CreditsModule } from '../../../server/modules/credits/index.js';
import {
  createIdentityModule,
  type IdentityModule,
} from '../../../server/modules/identity/index.js';
import { createPacksModule, type PacksModule } from '../../../server/modules/packs/index.js';
import {
  createSubscriptionsModule,
  type SubscriptionsModule,
} from '../../../server/modules/subscriptions/index.js';
import { noSocketsFanout } from '../../../server/compose.js';
import { loadConfig, type Config } from '../../../server/shared/config/config.js';
import { createDb, type Db } from '../../../server/shared/db/db.js';
import { migrate } from '../../../server/shared/db/migrate.js';
import { createOutboxRelay, type OutboxRelay } from '../../../server/shared/events/relay.js';
import { createIdempotencyStore } from '../../../server/shared/http/idempotency.js';
import type { RequestContext } from '../../../server/shared/http/request-context.js';
import { createHttpServer } from '../../../server/shared/http/server.js';
import { createLogger } from '../../../server/shared/logging/logger.js';
import { createBalanceGuard } from '../../../server/shared/security/balanceguard/balanceguard.js';
import { createRateLimiter } from '../../../server/shared/security/rate-limiter.js';
import { systemClock } from '../../../server/shared/time/clock.js';
import { createTestDatabase } from '../../support/database.js';
import { request, type RawRequest, type RawResponse } from '../../support/http.js';
import { typedClient, type ApiClient } from '../../support/typed-client.js';

export const WEBHOOK_SECRET = 'whsec_test_billing_suite';

export interface BillingApp {
  url: string;
  /** The same as `url`, for the shared sign-in helper. */
  baseUrl: string;
  db: Db;
  config: Config;
  identity: IdentityModule;
  billing: BillingModule;
  credits: CreditsModule;
  packs: PacksModule;
  subs: SubscriptionsModule;
  relay: OutboxRelay;
  /** The generated typed client with these headers. */
  api(headers?: Record<string, string>): ApiClient;
  /**
   * A raw request, only for what the typed client cannot send: the local checkout pages (not in
   * the contract), signed webhook bytes, bodies the contract's types forbid.
   */
  request(req: RawRequest): Promise<RawResponse>;
  /** Runs the real outbox relay until nothing is left (facts emitted by consumers included). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API with Billing, Packs, Subscriptions and Credits wired the way server/main.ts should wire
 * them (identity for sign-in, BalanceGuard, the dev checkout page in front of it, the outbox relay
 * with every billing consumer), on a fresh database of the test Postgres.
 */
export async function startBillingApp(
  options: { env?: Record<string, string>; provider?: PaymentProvider } = {},
): Promise<BillingApp> {
  const database = await createTestDatabase();
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      BK_ACCESS_LOG: 'false',
      BK_TRUSTED_PROXIES: '127.0.0.1',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...options.env,
    },
    [],
  );
  const log = createLogger({ level: 'silent' });
  const clock = systemClock;
  const db = createDb(database.url, { max: 60 });
  await migrate(db);
  const identity = createIdentityModule({ db, clock, log, fanout: noSocketsFanout });
  const credits = createCreditsModule({ db, clock, fanout: noSocketsFanout });
  const billing = createBillingModule({
    db,
    clock,
    log,
    config,
    ...(options.provider ? { provider: options.provider } : {}),
  });
  const subs = createSubscriptionsModule({
    db,
    clock,
    checkout: billing.checkout,
    credits: credits.ledger,
  });
  const packs = createPacksModule({
    db,
    clock,
    checkout: billing.checkout,
    credits: credits.ledger,
    activePlans: () => subs.plans(true),
  });
  const handlers = {
    ...identity.http,
    ...billing.http,
    ...packs.http,
    ...subs.http,
    ...credits.http,
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
  const devCheckout = billing.devCheckout;
  const http = createHttpServer({
    handler: (req, res) => void (devCheckout?.(req, res) || guard(req, res)),
    log,
    production: false,
  });
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  billing.setSelfUrl(url);
  const relay = createOutboxRelay({
    db,
    log,
    clock,
    consumers: [...billing.consumers, ...packs.consumers, ...subs.consumers],
    backoffMs: () => 0,
  });
  return {
    url,
    baseUrl: url,
    db,
    config,
    identity,
    billing,
    credits,
    packs,
    subs,
    relay,
    api: (headers) => typedClient(url, headers),
    request: (req) => request(url, req),
    async drain() {
      for (let index = 0; index < 20; index++) if ((await relay.drain()) === 0) return;
    },
    async close() {
      await relay.close();
      await http.close(2_000);
      await db.close();
      await database.drop();
    },
  };
}

let seq = 0;
/** A Stripe-format event, as Stripe would send it. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  created = Math.floor(Date.now() / 1000),
  id = `evt_test_${Date.now()}_${++seq}`,
) {
  return {
    id,
    object: 'event',
    type,
    created,
    livemode: false,
    api_version: Stripe.API_VERSION,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** Signs a payload with the SDK's own test helper, as the issue asks. */
export function sign(payload: string, opts: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: opts.secret ?? WEBHOOK_SECRET,
    ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
  });
}

export function postWebhook(
  app: BillingApp,
  payload: string,
  signature: string | undefined,
): Promise<RawResponse> {
  // Raw: the signature covers these exact bytes, which the typed client would re-serialize.
  return app.request({
    method: 'POST',
    path: '/webhooks/stripe/billing',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signature !== undefined ? { 'stripe-signature': signature } : {}),
    },
    body: payload,
  });
}
