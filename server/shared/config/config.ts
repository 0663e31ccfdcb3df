import path from 'node:path';

export type Environment = 'development' | 'test' | 'production';
export type SurfaceName = 'site' | 'client' | 'admin' | 'webhook' | 'ops';
export const ALL_SURFACES: readonly SurfaceName[] = ['site', 'client', 'admin', 'webhook', 'ops'];

/** The whole configuration, parsed once at start and frozen. Only this folder reads `process.env`. */
export interface Config {
  readonly env: Environment;
  readonly host: string;
  readonly port: number;
  /** null: boot the embedded Postgres into `dataDir`. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  /**
   * As root the embedded Postgres runs as the `postgres` OS user; when that user cannot enter the
   * project (a clone in a root-only directory) its binaries and data go here instead.
   */
  readonly embeddedPostgresSharedDir: string;
  readonly databasePoolSize: number;
  /** A request waits at most this long for a database connection (then 503). */
  readonly dbConnectTimeoutMs: number;
  /** Postgres cancels a statement running longer (then 503). */
  readonly dbStatementTimeoutMs: number;
  /** Postgres ends a session left idle inside a transaction this long. */
  readonly dbIdleInTransactionTimeoutMs: number;
  /** The client gives up waiting for an answer (a connection that went silent) after this long. */
  readonly dbQueryTimeoutMs: number;
  /** TCP keepalive on database connections: first probe after this much silence. */
  readonly dbKeepAliveMs: number;
  readonly logLevel: string;
  /** One access-log line per request. */
  readonly accessLog: boolean;
  /** Exact origins allowed per surface (CORS and the CSRF Origin check). */
  readonly origins: Readonly<Record<'site' | 'client' | 'admin', readonly string[]>>;
  /** Peers whose `X-Forwarded-For` is believed. */
  readonly trustedProxies: readonly string[];
  /** Which surfaces' operations this process serves (`--surfaces site,ops`). */
  readonly surfaces: readonly SurfaceName[];
  /** Validate every handler response against the contract (development and test). */
  readonly validateResponses: boolean;
  readonly shutdownTimeoutMs: number;
  /** Seed the demo admin, client and catalogue: development on the embedded database only. */
  readonly seedDemo: boolean;
  /**
   * Where background work (the outbox relay and the consumers it runs) happens: `inline` in this
   * API process (the default), or `off` here because a separate `worker` process runs it.
   */
  readonly background: 'inline' | 'off';
  readonly version: string;
  /** Stripe's secret API key; null selects the local payment provider (development and tests). */
  readonly stripeSecretKey: string | null;
  /**
   * The webhook signing secret (`whsec_...`). Without a Stripe key the local provider signs with a
   * published development default; with a key (and in production) a real secret is required.
   */
  readonly stripeWebhookSecret: string;
  /** Stripe API host/port/protocol overrides, for a fake Stripe in tests; production refuses them. */
  readonly stripeApiHost: string | null;
  readonly stripeApiPort: number | null;
  readonly stripeApiProtocol: 'https' | 'http';
  /** Retries the Stripe SDK makes on network errors and 5xx/409, each with the same idempotency key. */
  readonly stripeMaxNetworkRetries: number;
  /** The API's public base URL, for links it hands out (the local checkout page). */
  readonly publicApiUrl: string;
  /** WSGuard: open sockets allowed per client address (all channels). */
  readonly wsMaxConnectionsPerIp: number;
  /** WSGuard: upgrade requests allowed per client address a minute (all channels), counted before any session lookup. */
  readonly wsUpgradesPerIpPerMinute: number;
  /** WSGuard: open sockets allowed per signed-in session. */
  readonly wsMaxConnectionsPerSession: number;
  /** Ping interval; a socket that missed the previous pong is terminated (dead peers go within 2 intervals). */
  readonly wsHeartbeatMs: number;
  /** A socket whose unsent bytes pass this is terminated (slow or paused reader). */
  readonly wsMaxBufferedBytes: number;
  /** Violations (invalid, forbidden, unknown or rate-limited frames) within a minute before close 1008. */
  readonly wsViolationLimit: number;
  /** LISTEN connections re-check themselves this often; one missed answer and they are replaced. */
  readonly dbListenHealthCheckMs: number;
  /** Outbox relay: the safety-net poll besides LISTEN bk_outbox. */
  readonly relayPollMs: number;
  /** How often housekeeping deletes what passed its retention (with the background work; docs/retention.md). */
  readonly housekeepingIntervalMs: number;
  /** Published outbox rows (and their delivery records) are kept this long. */
  readonly retentionPublishedOutboxMs: number;
  /** Ended sessions (logged out, revoked, expired) are kept this long, for investigations. */
  readonly retentionEndedSessionsMs: number;
  /** The texts (before, after) of chat moderation entries are kept this long; the entry stays. */
  readonly retentionModerationTextMs: number;
  /** Outbox relay: attempts per consumer before an event is dead-lettered. */
  readonly relayMaxAttempts: number;
  /** Outbox relay: first retry delay; doubles per attempt up to 5 minutes. */
  readonly relayBackoffBaseMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const DAY_MS = 24 * 3_600_000;

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean);
}

/** Where root's embedded Postgres goes when the postgres OS user cannot reach the project. */
export const DEFAULT_EMBEDDED_PG_SHARED_DIR = '/var/lib/balance-kitchen';

/** The webhook secret the local provider signs with when there is no Stripe key; it is public. */
export const DEVELOPMENT_WEBHOOK_SECRET = 'whsec_local_development_only';

type Readers = {
  int(key: string, fallback: number, min: number, max: number): number;
  bool(key: string, fallback: boolean): boolean;
  origins(key: string, fallback: string[]): string[];
};

/** Typed readers of single keys; each bad value adds a problem and yields the fallback. */
function readers(env: Env, nodeEnv: Environment, problems: string[]): Readers {
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return fallback;
    const count = Number(raw);
    if (!Number.isInteger(count) || count < min || count > max) {
      problems.push(`${key} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return count;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = env[key];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${key} must be true or false (got "${raw}")`);
    return fallback;
  };
  const origins = (key: string, fallback: string[]): string[] => {
    const values = list(env[key]) ?? fallback;
    for (const value of values) {
      let ok: boolean;
      try {
        const uRL = new URL(value);
        ok = (uRL.protocol === 'http:' || uRL.protocol === 'https:') && uRL.origin === value;
      } catch {
        ok = false;
      }
      if (!ok)
        problems.push(
          `${key}: "${value}" is not an exact origin like https://client.example.com (no path, no trailing slash, no *)`,
        );
      if (nodeEnv === 'production' && value.startsWith('http:'))
        problems.push(`${key}: "${value}" must be https in production`);
    }
    return values;
  };
  return { int, bool, origins };
}

type StripeSettings = Pick<
  Config,
  | 'stripeSecretKey'
  | 'stripeWebhookSecret'
  | 'stripeApiHost'
  | 'stripeApiPort'
  | 'stripeApiProtocol'
>;

function stripeSettings(
  env: Env,
  nodeEnv: Environment,
  problems: string[],
  int: Readers['int'],
): StripeSettings {
  const stripeSecretKey =
    env['STRIPE_SECRET_KEY'] && env['STRIPE_SECRET_KEY'] !== '' ? env['STRIPE_SECRET_KEY'] : null;
  if (stripeSecretKey !== null && !/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/.test(stripeSecretKey))
    problems.push(
      'STRIPE_SECRET_KEY must look like sk_test_..., sk_live_... or a restricted rk_ key',
    );
  if (stripeSecretKey === null && nodeEnv === 'production')
    problems.push(
      'STRIPE_SECRET_KEY is required in production (the local payment provider is for development only)',
    );
  const webhookRaw =
    env['STRIPE_WEBHOOK_SECRET'] && env['STRIPE_WEBHOOK_SECRET'] !== ''
      ? env['STRIPE_WEBHOOK_SECRET']
      : null;
  if (webhookRaw === null && nodeEnv === 'production')
    problems.push('STRIPE_WEBHOOK_SECRET is required in production');
  if (webhookRaw !== null && !/^whsec_[A-Za-z0-9_]+$/.test(webhookRaw))
    problems.push('STRIPE_WEBHOOK_SECRET must look like whsec_...');
  // The development secret is in this repository: anyone could sign events with it.
  if (webhookRaw === null && stripeSecretKey !== null && nodeEnv !== 'production')
    problems.push(
      'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set (the development secret is published)',
    );
  if (
    webhookRaw === DEVELOPMENT_WEBHOOK_SECRET &&
    (stripeSecretKey !== null || nodeEnv === 'production')
  ) {
    problems.push(
      'STRIPE_WEBHOOK_SECRET may not be the published development secret with a Stripe key or in production',
    );
  }
  const stripeApiHost =
    env['BK_STRIPE_API_HOST'] && env['BK_STRIPE_API_HOST'] !== ''
      ? env['BK_STRIPE_API_HOST']
      : null;
  const stripeApiPort =
    env['BK_STRIPE_API_PORT'] && env['BK_STRIPE_API_PORT'] !== ''
      ? int('BK_STRIPE_API_PORT', 443, 1, 65535)
      : null;
  const stripeApiProtocol = env['BK_STRIPE_API_PROTOCOL'] ?? 'https';
  if (stripeApiProtocol !== 'https' && stripeApiProtocol !== 'http')
    problems.push(`BK_STRIPE_API_PROTOCOL must be https or http (got "${stripeApiProtocol}")`);
  if (
    nodeEnv === 'production' &&
    ((stripeApiHost !== null && stripeApiHost !== 'api.stripe.com') ||
      stripeApiProtocol !== 'https' ||
      (stripeApiPort !== null && stripeApiPort !== 443))
  ) {
    problems.push(
      'BK_STRIPE_API_HOST/PORT/PROTOCOL may not point Stripe anywhere but https://api.stripe.com in production',
    );
  }
  return {
    stripeSecretKey,
    stripeWebhookSecret: webhookRaw ?? DEVELOPMENT_WEBHOOK_SECRET,
    stripeApiHost,
    stripeApiPort,
    stripeApiProtocol: stripeApiProtocol === 'http' ? 'http' : 'https',
  };
}

export interface LoadConfigOptions {
  /**
   * The environment when NODE_ENV is unset: production, so a deploy that forgets NODE_ENV fails
   * closed. `npm start` (server/dev/start.ts) asks for development; tests set NODE_ENV themselves.
   */
  defaultEnv?: Environment;
}

/**
 * Parses the environment (and `--surfaces` from argv) into a frozen Config, listing every bad key
 * at once. NODE_ENV unset means production unless the caller says otherwise (`npm start`).
 * @example
 * const config = loadConfig(process.env, process.argv.slice(2));
 * const dev = loadConfig(process.env, argv, {}, { defaultEnv: 'development' }); // npm start
 */
export function loadConfig(
  env: Env = process.env,
  argv: readonly string[] = [],
  overrides: Partial<Config> = {},
  options: LoadConfigOptions = {},
): Config {
  const problems: string[] = [];
  const rawEnv = env['NODE_ENV'] || (options.defaultEnv ?? 'production');
  if (!['development', 'test', 'production'].includes(rawEnv))
    problems.push(`NODE_ENV must be development, test or production (got "${rawEnv}")`);
  const nodeEnv = (
    ['development', 'test', 'production'].includes(rawEnv) ? rawEnv : 'production'
  ) as Environment;

  const { int, bool, origins } = readers(env, nodeEnv, problems);

  const databaseUrl =
    env['DATABASE_URL'] && env['DATABASE_URL'] !== '' ? env['DATABASE_URL'] : null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL');
  if (nodeEnv === 'production' && databaseUrl === null)
    problems.push(
      'DATABASE_URL is required in production (the embedded Postgres is for development)',
    );

  const logLevel = env['LOG_LEVEL'] ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push(`LOG_LEVEL must be a pino level (got "${logLevel}")`);

  let surfaces: SurfaceName[] = [...ALL_SURFACES];
  const surfaceArg =
    argv.find((first) => first.startsWith('--surfaces='))?.slice('--surfaces='.length) ??
    (argv.includes('--surfaces') ? argv[argv.indexOf('--surfaces') + 1] : undefined) ??
    env['BK_SURFACES'];
  if (surfaceArg !== undefined) {
    const wanted = list(surfaceArg) ?? [];
    const bad = wanted.filter((text) => !(ALL_SURFACES as readonly string[]).includes(text));
    if (bad.length || wanted.length === 0)
      problems.push(
        `--surfaces takes a comma list of ${ALL_SURFACES.join(', ')} (got "${surfaceArg}")`,
      );
    else surfaces = wanted as SurfaceName[];
  }

  const stripe = stripeSettings(env, nodeEnv, problems, int);
  const publicApiUrl = (
    env['BK_PUBLIC_API_URL'] ??
    `http://localhost:${env['PORT'] && env['PORT'] !== '0' ? env['PORT'] : '3000'}`
  ).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicApiUrl))
    problems.push(`BK_PUBLIC_API_URL must be an http(s) URL (got "${publicApiUrl}")`);
  if (
    nodeEnv === 'production' &&
    env['BK_PUBLIC_API_URL'] !== undefined &&
    !publicApiUrl.startsWith('https://')
  )
    problems.push('BK_PUBLIC_API_URL must be https in production');

  const statementTimeoutMs = int('BK_DB_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000);
  const config: Config = {
    env: nodeEnv,
    host: env['HOST'] ?? '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    databaseUrl,
    dataDir: path.resolve(env['BK_DATA_DIR'] ?? '.data'),
    embeddedPostgresPort: int('BK_EMBEDDED_PG_PORT', 54329, 1024, 65535),
    embeddedPostgresSharedDir: path.resolve(
      env['BK_EMBEDDED_PG_SHARED_DIR'] || DEFAULT_EMBEDDED_PG_SHARED_DIR,
    ),
    databasePoolSize: int('BK_DB_POOL_SIZE', 10, 1, 200),
    dbConnectTimeoutMs: int('BK_DB_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    dbStatementTimeoutMs: statementTimeoutMs,
    dbIdleInTransactionTimeoutMs: int(
      'BK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      120_000,
      100,
      3_600_000,
    ),
    dbQueryTimeoutMs: int('BK_DB_QUERY_TIMEOUT_MS', statementTimeoutMs + 5_000, 100, 3_600_000),
    dbKeepAliveMs: int('BK_DB_KEEPALIVE_MS', 10_000, 1_000, 3_600_000),
    logLevel,
    accessLog: bool('BK_ACCESS_LOG', nodeEnv !== 'test'),
    origins: {
      site: origins('BK_SITE_ORIGINS', ['http://localhost:5173']),
      client: origins('BK_CLIENT_ORIGINS', ['http://localhost:5174']),
      admin: origins('BK_ADMIN_ORIGINS', ['http://localhost:5175']),
    },
    trustedProxies: list(env['BK_TRUSTED_PROXIES']) ?? [],
    surfaces,
    validateResponses: bool('BK_VALIDATE_RESPONSES', nodeEnv !== 'production'),
    shutdownTimeoutMs: int('BK_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 24_000),
    // Demo accounts have published passwords: only ever in the throwaway embedded database.
    seedDemo: nodeEnv === 'development' && databaseUrl === null && bool('BK_SEED_DEMO', true),
    background:
      env['BK_BACKGROUND'] === undefined || env['BK_BACKGROUND'] === 'inline'
        ? 'inline'
        : env['BK_BACKGROUND'] === 'off'
          ? 'off'
          : (problems.push(`BK_BACKGROUND must be inline or off (got "${env['BK_BACKGROUND']}")`),
            'inline'),
    version: env['npm_package_version'] ?? '0.1.0',
    ...stripe,
    stripeMaxNetworkRetries: int('BK_STRIPE_MAX_NETWORK_RETRIES', 2, 0, 5),
    publicApiUrl,
    wsMaxConnectionsPerIp: int('BK_WS_MAX_CONNECTIONS_PER_IP', 50, 1, 100_000),
    wsUpgradesPerIpPerMinute: int('BK_WS_UPGRADES_PER_IP_PER_MINUTE', 60, 1, 1_000_000),
    wsMaxConnectionsPerSession: int('BK_WS_MAX_CONNECTIONS_PER_SESSION', 8, 1, 1_000),
    wsHeartbeatMs: int('BK_WS_HEARTBEAT_MS', 20_000, 50, 120_000),
    wsMaxBufferedBytes: int('BK_WS_MAX_BUFFERED_BYTES', 1024 * 1024, 64 * 1024, 64 * 1024 * 1024),
    wsViolationLimit: int('BK_WS_VIOLATION_LIMIT', 5, 1, 1_000),
    dbListenHealthCheckMs: int('BK_DB_LISTEN_HEALTH_CHECK_MS', 10_000, 50, 600_000),
    relayPollMs: int('BK_RELAY_POLL_MS', 5_000, 10, 600_000),
    housekeepingIntervalMs: int('BK_HOUSEKEEPING_INTERVAL_MS', 15 * 60_000, 1_000, 24 * 3_600_000),
    retentionPublishedOutboxMs: int('BK_RETENTION_PUBLISHED_OUTBOX_DAYS', 7, 1, 3_650) * DAY_MS,
    retentionEndedSessionsMs: int('BK_RETENTION_ENDED_SESSIONS_DAYS', 7, 1, 3_650) * DAY_MS,
    retentionModerationTextMs: int('BK_RETENTION_MODERATION_TEXT_DAYS', 30, 1, 3_650) * DAY_MS,
    relayMaxAttempts: int('BK_RELAY_MAX_ATTEMPTS', 8, 1, 100),
    relayBackoffBaseMs: int('BK_RELAY_BACKOFF_BASE_MS', 1_000, 1, 3_600_000),
    ...overrides,
  };
  if (config.env === 'production' && config.seedDemo)
    problems.push('demo seeding is never allowed in production');
  if (config.dbQueryTimeoutMs <= config.dbStatementTimeoutMs)
    problems.push(
      'BK_DB_QUERY_TIMEOUT_MS must be longer than BK_DB_STATEMENT_TIMEOUT_MS (Postgres cancels a slow statement first; the client only gives up on a silent connection)',
    );
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}
