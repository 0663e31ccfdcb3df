import path from 'node:path';

import { ALL_SURFACES, type Config, type Environment, type SurfaceName } from './config.types.js';

export { ALL_SURFACES, type Config, type Environment, type SurfaceName };

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

/** NODE_ENV, or the caller's default; an unknown value is a problem and reads as production. */
function parseNodeEnv(env: Env, options: LoadConfigOptions, problems: string[]): Environment {
  const rawEnv = env['NODE_ENV'] || (options.defaultEnv ?? 'production');
  if (!['development', 'test', 'production'].includes(rawEnv))
    problems.push(`NODE_ENV must be development, test or production (got "${rawEnv}")`);
  return (
    ['development', 'test', 'production'].includes(rawEnv) ? rawEnv : 'production'
  ) as Environment;
}

/** DATABASE_URL, or null for the embedded Postgres (never in production). */
function parseDatabaseUrl(env: Env, nodeEnv: Environment, problems: string[]): string | null {
  const databaseUrl =
    env['DATABASE_URL'] && env['DATABASE_URL'] !== '' ? env['DATABASE_URL'] : null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL');
  if (nodeEnv === 'production' && databaseUrl === null)
    problems.push(
      'DATABASE_URL is required in production (the embedded Postgres is for development)',
    );
  return databaseUrl;
}

/** The surfaces this process serves: `--surfaces a,b`, `--surfaces=a,b` or BK_SURFACES; all by default. */
function parseSurfaces(env: Env, argv: readonly string[], problems: string[]): SurfaceName[] {
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
  return surfaces;
}

/** The API's public base URL (no trailing slash), https in production when it is set. */
function parsePublicApiUrl(env: Env, nodeEnv: Environment, problems: string[]): string {
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
  return publicApiUrl;
}

/** WebSocket limits, the LISTEN health check, the relay and housekeeping, and retention. */
function backgroundSettings(
  int: Readers['int'],
): Pick<
  Config,
  | 'wsMaxConnectionsPerIp'
  | 'wsUpgradesPerIpPerMinute'
  | 'wsMaxConnectionsPerSession'
  | 'wsHeartbeatMs'
  | 'wsMaxBufferedBytes'
  | 'wsViolationLimit'
  | 'dbListenHealthCheckMs'
  | 'relayPollMs'
  | 'housekeepingIntervalMs'
  | 'retentionPublishedOutboxMs'
  | 'retentionEndedSessionsMs'
  | 'retentionModerationTextMs'
  | 'relayMaxAttempts'
  | 'relayBackoffBaseMs'
> {
  return {
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
  };
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
  const nodeEnv = parseNodeEnv(env, options, problems);

  const { int, bool, origins } = readers(env, nodeEnv, problems);

  const databaseUrl = parseDatabaseUrl(env, nodeEnv, problems);

  const logLevel = env['LOG_LEVEL'] ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push(`LOG_LEVEL must be a pino level (got "${logLevel}")`);

  const surfaces = parseSurfaces(env, argv, problems);

  const stripe = stripeSettings(env, nodeEnv, problems, int);
  const publicApiUrl = parsePublicApiUrl(env, nodeEnv, problems);

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
    ...backgroundSettings(int),
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
