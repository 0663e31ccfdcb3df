/**
 * Composition root, in one straight line where each part is made from parts made before it:
 * config -> database -> realtime hub and fan-out -> modules -> WebSocket server (the modules' WS
 * handlers) and HTTP server (BalanceGuard). `tsx server/main.ts` runs the API; `startApp` is what
 * tests and `npm start` call.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { operationList } from '../generated/v1/operations.js';
import { composeModules, type Modules } from './compose.js';
import type { ChatModule } from './modules/chat/index.js';
import type { CreditsModule } from './modules/credits/index.js';
import type { IdentityModule } from './modules/identity/index.js';
import type { PacksModule } from './modules/packs/index.js';
import type { SubscriptionsModule } from './modules/subscriptions/index.js';
import { createOutboxRelay, exponentialBackoff, type OutboxRelay } from './shared/events/relay.js';
import {
  createOutbound,
  createPgFanout,
  createTopicHub,
  createWsServer,
  type PgFanout,
  type WsServer,
} from './shared/realtime/index.js';
import { loadConfig, type Config, type LoadConfigOptions } from './shared/config/config.js';
import { createDb, dbOptions, type Db } from './shared/db/db.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './shared/db/embedded.js';
import { migrate } from './shared/db/migrate.js';
import { createIdempotencyStore } from './shared/http/idempotency.js';
import { createHttpServer, type HttpServer } from './shared/http/server.js';
import { createHousekeeping, type Housekeeping } from './shared/jobs/housekeeping.js';
import { createAccessLog, type AccessLog } from './shared/logging/access-log.js';
import { fdDestination } from './shared/logging/fd-destination.js';
import { createLogger, type Logger } from './shared/logging/logger.js';
import { createBalanceGuard } from './shared/security/balanceguard/index.js';
import { createRateLimiter } from './shared/security/rate-limiter.js';
import { systemClock, type Clock } from './shared/time/clock.js';

export interface AppOptions {
  config: Config;
  /** Required here: `bootFromEnvironment` resolves the embedded database first. */
  databaseUrl: string;
  clock?: Clock;
  /** Where log lines go (tests capture them). */
  logDestination?: DestinationStream;
}

export interface App {
  readonly url: string;
  readonly port: number;
  readonly config: Config;
  readonly db: Db;
  readonly log: Logger;
  readonly identity: IdentityModule;
  /** The meal-credit ledger: balances, grants and what spends them. */
  readonly credits: CreditsModule;
  readonly chat: ChatModule;
  readonly packs: PacksModule;
  readonly subscriptions: SubscriptionsModule;
  /** Milliseconds from the start of `startApp` to listening, migrations included. */
  readonly bootMs: number;
  /** Writes the access-log lines still waiting for their batch (tests read logs right away). */
  flushLogs(): void;
  /** Stop accepting, finish in-flight requests, close the pool. */
  close(): Promise<void>;
}

/** Everything `startApp` made, before anything listens or runs. */
interface Parts {
  config: Config;
  db: Db;
  log: Logger;
  modules: Modules;
  fanout: PgFanout;
  ws: WsServer;
  relay: OutboxRelay;
  housekeeping: Housekeeping;
  accessLog: AccessLog | null;
  http: HttpServer;
}

/** Wires every module into one HTTP server and starts listening. */
export async function startApp(options: AppOptions): Promise<App> {
  const started = performance.now();
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = createLogger({
    level: config.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const db = createDb(options.databaseUrl, dbOptions(config));
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const parts = wire({ config, clock, log, db, logDestination: options.logDestination });
    if (config.env === 'production') await refuseDemoAccounts(parts.modules.identity);
    return await start(parts, started);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Makes every part, each from parts made before it: the realtime hub first (the modules publish
 * through its fan-out), then the modules, then the servers that route to the modules.
 */
function wire(base: {
  config: Config;
  clock: Clock;
  log: Logger;
  db: Db;
  logDestination: DestinationStream | undefined;
}): Parts {
  const { config, clock, log, db } = base;
  const production = config.env === 'production';
  const outbound = createOutbound({ clock, log, validate: !production });
  const hub = createTopicHub({ outbound });
  const fanout = createPgFanout({
    db,
    log,
    publisher: hub,
    listenHealthCheckMs: config.dbListenHealthCheckMs,
  });
  const modules = composeModules({ config, db, clock, log, fanout });
  const ws = createWsServer({
    config,
    log,
    clock,
    hub,
    sessions: modules.identity.sessions,
    handlers: modules.wsHandlers,
    lifecycle: modules.wsLifecycle,
  });
  const relay = createOutboxRelay({
    db,
    log,
    clock,
    consumers: modules.consumers,
    maxAttempts: config.relayMaxAttempts,
    backoffMs: exponentialBackoff(config.relayBackoffBaseMs),
    pollMs: config.relayPollMs,
    listenHealthCheckMs: config.dbListenHealthCheckMs,
  });
  const housekeeping = createHousekeeping({
    log,
    clock,
    intervalMs: config.housekeepingIntervalMs,
    tasks: modules.housekeeping,
  });
  // Access lines go to stdout (or the tests' capture) in batches, not a write per line.
  const accessLog = config.accessLog
    ? createAccessLog(base.logDestination ?? fdDestination(1))
    : null;
  const guard = createBalanceGuard({
    config,
    log,
    clock,
    operations: operationList,
    handlers: modules.handlers,
    sessions: modules.identity.sessions,
    idempotency: createIdempotencyStore(db),
    rateLimiter: createRateLimiter(),
    accessLog,
  });
  // The local payment provider's checkout page (development only; absent in production).
  const devCheckout = modules.billing.devCheckout;
  const http = createHttpServer({
    handler: devCheckout
      ? (req, res) => {
          if (!devCheckout(req, res)) guard(req, res);
        }
      : guard,
    log,
    production,
    onUpgrade: ws.handleUpgrade,
  });
  return { config, db, log, modules, fanout, ws, relay, housekeeping, accessLog, http };
}

/** Listens, starts the fan-out, the heartbeat and (inline) the background work. */
async function start(parts: Parts, started: number): Promise<App> {
  const { config, db, log, modules, fanout, ws, relay, housekeeping, accessLog, http } = parts;
  const port = await http.listen(config.port, config.host);
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  modules.billing.setSelfUrl(url);
  await fanout.start();
  ws.start();
  if (config.background === 'inline') {
    await relay.start();
    housekeeping.start();
  }
  const bootMs = Math.round(performance.now() - started);
  log.info({ url, surfaces: config.surfaces, bootMs }, 'api listening');

  let closing: Promise<void> | null = null;
  const { identity, credits, chat, packs, subscriptions } = modules;
  return {
    url,
    port,
    config,
    db,
    log,
    identity,
    credits,
    chat,
    packs,
    subscriptions,
    bootMs,
    flushLogs: () => accessLog?.flush(),
    close() {
      closing ??= (async () => {
        // Stop taking requests and let those in flight finish while the WebSockets close (1001;
        // the HTTP server counts them until they do) and the fan-out stops, then stop the relay,
        // and only then close the pool everything above was using.
        await Promise.all([http.close(config.shutdownTimeoutMs), ws.close(), fanout.close()]);
        accessLog?.flush();
        await housekeeping.close();
        await relay.close();
        await db.close();
      })();
      return closing;
    },
  };
}

/** Demo accounts have published passwords: a production database holding one is not started. */
async function refuseDemoAccounts(identity: IdentityModule): Promise<void> {
  const present = await identity.demoAccountsPresent();
  if (present.length) {
    throw new Error(
      `refusing to start in production: the database holds demo accounts with published passwords (${present.join(', ')}); delete them or point DATABASE_URL elsewhere`,
    );
  }
}

export interface BootedApp {
  app: App;
  embedded: EmbeddedDatabase | null;
  demo: Awaited<ReturnType<IdentityModule['seedDemoUsers']>> | null;
  stop(): Promise<void>;
}

export interface BootOptions extends LoadConfigOptions {
  /**
   * More demo data to seed after the demo users, when they are seeded. `npm start` passes the demo
   * catalogue from server/dev, which production code never imports.
   */
  seedDemo?: (app: App) => Promise<void>;
}

/**
 * Reads the environment, boots the embedded Postgres when there is no DATABASE_URL, starts the
 * app and, in development on the embedded database, seeds the demo users (and `options.seedDemo`).
 * NODE_ENV unset is production unless `options.defaultEnv` says otherwise (`npm start` does).
 */
export async function bootFromEnvironment(
  argv: readonly string[] = process.argv.slice(2),
  overrides: Partial<Config> = {},
  options: BootOptions = {},
): Promise<BootedApp> {
  const config = loadConfig(undefined, argv, overrides, options);
  const { databaseUrl, embedded } = await openDatabase(config);
  let app: App;
  try {
    app = await startApp({ config, databaseUrl });
  } catch (err) {
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
  const demo = config.seedDemo ? await app.identity.seedDemoUsers() : null;
  if (config.seedDemo && options.seedDemo) await options.seedDemo(app);
  return {
    app,
    embedded,
    demo,
    async stop() {
      await app.close();
      await embedded?.stop();
    },
  };
}

/** DATABASE_URL when set, otherwise the embedded Postgres, started here. */
async function openDatabase(
  config: Config,
): Promise<{ databaseUrl: string; embedded: EmbeddedDatabase | null }> {
  if (config.databaseUrl !== null) return { databaseUrl: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'postgres'),
    port: config.embeddedPostgresPort,
    sharedDir: config.embeddedPostgresSharedDir,
  });
  return { databaseUrl: embedded.url, embedded };
}

/** Exit cleanly on SIGTERM/SIGINT: stop accepting, drain, close the pool, well under 25 s. */
export function exitOnSignals(stop: () => Promise<void>, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Where the embedded database lives, and why there when it is not where it was asked for. */
export function describeEmbedded(embedded: EmbeddedDatabase): string {
  const moved = embedded.relocatedFrom
    ? ` (not ${embedded.relocatedFrom}: the postgres OS user cannot enter that directory)`
    : '';
  return `embedded Postgres in ${embedded.dataDir}${moved}`;
}

async function main(): Promise<void> {
  const booted = await bootFromEnvironment();
  const { app, demo, embedded } = booted;
  if (demo || embedded) {
    const lines = [`Balance Kitchen API on ${app.url} (${app.config.env})`];
    if (embedded) lines.push(`  database:    ${describeEmbedded(embedded)}`);
    if (demo)
      lines.push(
        `  demo admin:  ${demo.admin.email} / ${demo.admin.password}`,
        `  demo client: ${demo.client.email} / ${demo.client.password}`,
      );
    process.stdout.write(`\n${lines.join('\n')}\n\n`);
  }
  exitOnSignals(() => booted.stop(), app.log);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
