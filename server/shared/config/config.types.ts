// The configuration's shape; config.ts parses the environment into it.

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
