import type pg from 'pg';
import type { Db } from '../db/db.js';
import type { Logger } from '../logging/logger.js';

export interface PgListener {
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Reconnect delays double from `retryMs` up to this. */
const MAX_RETRY_MS = 10_000;

/**
 * LISTENs on Postgres channels over one dedicated connection, and reconnects (then calls
 * `onReconnect`, so the caller can catch up on what it missed) when that connection drops or stops
 * answering. The pool gives the connection TCP keepalive; on top of that a health check re-issues
 * the last LISTEN every `healthCheckMs`, and a check still unanswered at the next one drops the
 * connection: keepalive alone takes minutes to notice a peer that vanished without a word (a NAT
 * or firewall dropping the flow), and all that time every NOTIFY would be lost.
 * @example
 * const l = createPgListener({ db, log, channels: ['bk_outbox'], onNotify: () => relay.wake() });
 * await l.start();
 */
type ListenerOptions = {
  db: Db;
  log: Logger;
  channels: readonly string[];
  onNotify(channel: string, payload: string): void;
  onReconnect?(): void;
  retryMs?: number;
  /** How often the connection is checked (default 10 s); it is dropped after one missed answer. */
  healthCheckMs?: number;
};

/** One listener's connection, timers and counters, shared by the functions below. */
interface ListenerState {
  options: ListenerOptions;
  retryMs: number;
  healthCheckMs: number;
  client: pg.PoolClient | null;
  closed: boolean;
  retry: NodeJS.Timeout | null;
  failures: number;
  check: NodeJS.Timeout | null;
  dropped: WeakSet<pg.PoolClient>;
  onNotification(msg: pg.Notification): void;
}

export function createPgListener(options: ListenerOptions): PgListener {
  const state: ListenerState = {
    options,
    retryMs: options.retryMs ?? 1_000,
    healthCheckMs: options.healthCheckMs ?? 10_000,
    client: null,
    closed: false,
    retry: null,
    failures: 0,
    check: null,
    dropped: new WeakSet<pg.PoolClient>(),
    onNotification: (msg) => options.onNotify(msg.channel, msg.payload ?? ''),
  };
  return {
    start: () => connect(state),
    async close() {
      state.closed = true;
      if (state.retry) clearTimeout(state.retry);
      state.retry = null;
      // Destroying the connection ends its LISTENs; nothing is awaited on a connection that may be dead.
      if (state.client) drop(state, state.client);
    },
  };
}

async function connect(state: ListenerState): Promise<void> {
  const poolClient = await state.options.db.connect();
  poolClient.on('notification', state.onNotification);
  poolClient.on('error', (err) =>
    lost(state, poolClient, 'listen connection lost; reconnecting', err),
  );
  try {
    for (const ch of state.options.channels) await poolClient.query(`LISTEN ${ch}`);
  } catch (err) {
    drop(state, poolClient);
    throw err;
  }
  if (state.closed || state.dropped.has(poolClient)) {
    drop(state, poolClient);
    if (!state.closed) throw new Error('the listen connection dropped while it was set up');
    return;
  }
  state.client = poolClient;
  watch(state, poolClient);
}

function watch(state: ListenerState, poolClient: pg.PoolClient): void {
  const { channels } = state.options;
  let answered = true;
  state.check = setInterval(() => {
    if (!answered)
      return lost(state, poolClient, 'listen connection stopped answering; reconnecting');
    answered = false;
    // LISTEN on a channel already listened on changes nothing: the round trip proves the
    // connection, and pg_stat_activity keeps showing what the connection is for.
    poolClient.query(`LISTEN ${channels[channels.length - 1]}`).then(
      () => {
        answered = true;
      },
      // A failed check is a lost connection: its 'error' event, or the next tick, drops it.
      () => undefined,
    );
  }, state.healthCheckMs);
  state.check.unref();
}

/** The current connection is gone: drop it and connect again (later ones are already dropped). */
function lost(
  state: ListenerState,
  poolClient: pg.PoolClient,
  message: string,
  err?: unknown,
): void {
  const current = state.client === poolClient;
  if (state.dropped.has(poolClient)) return;
  drop(state, poolClient);
  if (!current) return;
  state.options.log.warn({ err, channels: state.options.channels }, message);
  schedule(state);
}

function drop(state: ListenerState, poolClient: pg.PoolClient): void {
  if (state.dropped.has(poolClient)) return;
  state.dropped.add(poolClient);
  poolClient.removeListener('notification', state.onNotification);
  if (state.client === poolClient) {
    state.client = null;
    if (state.check) clearInterval(state.check);
    state.check = null;
  }
  try {
    poolClient.release(true);
  } catch {
    // already released
  }
  // Releasing a broken client ends it politely (Terminate, then a half close), which a peer that
  // went silent never completes; the socket is destroyed, as pg-pool does on a connect timeout.
  (
    poolClient as unknown as { connection?: { stream?: { destroy(): void } } }
  ).connection?.stream?.destroy();
}

function schedule(state: ListenerState): void {
  if (state.closed || state.retry) return;
  const delay = Math.min(MAX_RETRY_MS, state.retryMs * 2 ** Math.min(state.failures, 10));
  state.retry = setTimeout(() => {
    state.retry = null;
    connect(state).then(
      () => {
        state.failures = 0;
        if (!state.closed) state.options.onReconnect?.();
      },
      (err: unknown) => {
        state.failures++;
        state.options.log.warn(
          { err, channels: state.options.channels },
          'listen reconnect failed',
        );
        schedule(state);
      },
    );
  }, delay);
  state.retry.unref();
}
