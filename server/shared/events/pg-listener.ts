import type pg from 'pg';
import type { Db } from '../db/db.js';
import type { Logger } from '../logging/logger.js';

export interface PgListener {
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTENs on Postgres channels over one dedicated connection, and reconnects (with `onReconnect`,
 * so the caller can catch up on what it missed) when that connection drops.
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
}): PgListener {
  const { db, log, channels } = options;
  let client: pg.PoolClient | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const onNotification = (msg: pg.Notification) => options.onNotify(msg.channel, msg.payload ?? '');

  async function connect(): Promise<void> {
    const c = await db.connect();
    c.on('notification', onNotification);
    c.on('error', (err) => {
      log.warn({ err, channels }, 'listen connection lost; reconnecting');
      drop(c);
      schedule();
    });
    try {
      for (const ch of channels) await c.query(`LISTEN ${ch}`);
    } catch (err) {
      drop(c);
      throw err;
    }
    if (closed) {
      drop(c);
      return;
    }
    client = c;
  }

  function drop(c: pg.PoolClient): void {
    c.removeListener('notification', onNotification);
    if (client === c) client = null;
    try {
      c.release(true);
    } catch {
      // already released
    }
  }

  function schedule(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => options.onReconnect?.(),
        (err: unknown) => {
          log.warn({ err, channels }, 'listen reconnect failed');
          schedule();
        },
      );
    }, options.retryMs ?? 1_000);
    retry.unref();
  }

  return {
    start: connect,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.removeListener('notification', onNotification);
        try {
          await c.query(`UNLISTEN *`);
        } catch {
          // the connection is going away anyway
        }
        c.release(true);
      }
    },
  };
}
