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
export function createPgListener(options: {
  db: Db;
  log: Logger;
  channels: readonly string[];
  onNotify(channel: string, payload: string): void;
  onReconnect?(): void;
  retryMs?: number;
  /** How often the connection is checked (default 10 s); it is dropped after one missed answer. */
  healthCheckMs?: number;
}): PgListener {
  const { db, log, channels } = options;
  const retryMs = options.retryMs ?? 1_000;
  const healthCheckMs = options.healthCheckMs ?? 10_000;
  let client: pg.PoolClient | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  let check: NodeJS.Timeout | null = null;
  const dropped = new WeakSet<pg.PoolClient>();

  const onNotification = (msg: pg.Notification) => options.onNotify(msg.channel, msg.payload ?? '');

  async function connect(): Promise<void> {
    const poolClient = await db.connect();
    poolClient.on('notification', onNotification);
    poolClient.on('error', (err) => lost(poolClient, 'listen connection lost; reconnecting', err));
    try {
      for (const ch of channels) await poolClient.query(`LISTEN ${ch}`);
    } catch (err) {
      drop(poolClient);
      throw err;
    }
    if (closed || dropped.has(poolClient)) {
      drop(poolClient);
      if (!closed) throw new Error('the listen connection dropped while it was set up');
      return;
    }
    client = poolClient;
    watch(poolClient);
  }

  function watch(poolClient: pg.PoolClient): void {
    let answered = true;
    check = setInterval(() => {
      if (!answered) return lost(poolClient, 'listen connection stopped answering; reconnecting');
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
    }, healthCheckMs);
    check.unref();
  }

  /** The current connection is gone: drop it and connect again (later ones are already dropped). */
  function lost(poolClient: pg.PoolClient, message: string, err?: unknown): void {
    const current = client === poolClient;
    if (dropped.has(poolClient)) return;
    drop(poolClient);
    if (!current) return;
    log.warn({ err, channels }, message);
    schedule();
  }

  function drop(poolClient: pg.PoolClient): void {
    if (dropped.has(poolClient)) return;
    dropped.add(poolClient);
    poolClient.removeListener('notification', onNotification);
    if (client === poolClient) {
      client = null;
      if (check) clearInterval(check);
      check = null;
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

  function schedule(): void {
    if (closed || retry) return;
    const delay = Math.min(MAX_RETRY_MS, retryMs * 2 ** Math.min(failures, 10));
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => {
          failures = 0;
          if (!closed) options.onReconnect?.();
        },
        (err: unknown) => {
          failures++;
          log.warn({ err, channels }, 'listen reconnect failed');
          schedule();
        },
      );
    }, delay);
    retry.unref();
  }

  return {
    start: connect,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = null;
      // Destroying the connection ends its LISTENs; nothing is awaited on a connection that may be dead.
      if (client) drop(client);
    },
  };
}
