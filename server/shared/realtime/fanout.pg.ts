import type { Db } from '../db/db.js';
import { eventFromRow, OUTBOX_COLUMNS, type OutboxRow } from '../events/delivery.js';
import type { DomainEvent } from '../events/domain-event.js';
import { createPgListener, type PgListener } from '../events/pg-listener.js';
import { FANOUT_CHANNEL } from '../events/relay.js';
import type { Logger } from '../logging/logger.js';
import type { RealtimeFanout, RealtimePublisher, Topic } from './realtime.port.js';

/** The channel ephemeral frames (typing, presence) travel on between instances. */
export const BROADCAST_CHANNEL = 'bk_broadcast';
/** Postgres refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_BROADCAST_BYTES = 7_900;

type Handler = (event: DomainEvent, out: RealtimePublisher) => void | Promise<void>;
/** Published events loaded per query. */
const BATCH = 200;
/** After a failed load, the next try (a notification or a reconnect also tries). */
const RETRY_MS = 1_000;

export interface PgFanout extends RealtimeFanout {
  start(): Promise<void>;
  close(): Promise<void>;
  /** Runs this instance's handlers for one event (what a published event triggers). */
  dispatch(event: DomainEvent): Promise<void>;
}

/**
 * Cross-instance fan-out through Postgres LISTEN/NOTIFY. Every instance LISTENs on `bk_fanout`
 * (the relay NOTIFYs once events are published) and then loads every event published after the
 * last one it dispatched, in publish order (`outbox.published_seq`), and runs its `onEvent`
 * handlers against its own sockets. The notification is only a wake-up: after its LISTEN
 * connection was lost and replaced, the instance catches up the same way, so what was published
 * while it was away still reaches its sockets, once and in order. `broadcast` NOTIFYs
 * `bk_broadcast` and every instance, this one included, publishes the frame locally (ephemeral:
 * lost while a connection is down, which is fine for typing and presence).
 * @example
 * const fanout = createPgFanout({ db, log, publisher, listenHealthCheckMs: 10_000 });
 * await fanout.start();
 */
export function createPgFanout(deps: {
  db: Db;
  log: Logger;
  publisher: RealtimePublisher;
  listenHealthCheckMs?: number;
}): PgFanout {
  const fanoutState: FanoutState = {
    db: deps.db,
    log: deps.log,
    publisher: deps.publisher,
    handlers: new Map(),
    listener: null,
    last: 0,
    wanted: false,
    draining: null,
    retry: null,
    closed: false,
  };
  return {
    onEvent(types, handler) {
      for (const type of types)
        fanoutState.handlers.set(type, [...(fanoutState.handlers.get(type) ?? []), handler]);
    },
    async broadcast(topic, type, payload) {
      const text = JSON.stringify({ topic, type, payload });
      if (Buffer.byteLength(text) > MAX_BROADCAST_BYTES)
        throw new Error(`broadcast of ${type} is too large for NOTIFY`);
      await fanoutState.db.query('SELECT pg_notify($1, $2)', [BROADCAST_CHANNEL, text]);
    },
    dispatch: (event) => dispatch(fanoutState, event),
    async start() {
      // What was published before this instance started had no socket of it to reach. Read before
      // LISTEN, then one pass after: nothing published in between is missed.
      const head = await fanoutState.db.query<{ seq: number | null }>(
        'SELECT max(published_seq) AS seq FROM outbox',
      );
      fanoutState.last = Number(head.rows[0]?.seq ?? 0);
      fanoutState.listener = createPgListener({
        db: fanoutState.db,
        log: fanoutState.log,
        channels: [FANOUT_CHANNEL, BROADCAST_CHANNEL],
        onNotify: (channel, payload) => onNotify(fanoutState, channel, payload),
        onReconnect: () => wake(fanoutState),
        ...(deps.listenHealthCheckMs ? { healthCheckMs: deps.listenHealthCheckMs } : {}),
      });
      await fanoutState.listener.start();
      wake(fanoutState);
    },
    async close() {
      fanoutState.closed = true;
      if (fanoutState.retry) clearTimeout(fanoutState.retry);
      await fanoutState.listener?.close();
      fanoutState.listener = null;
      await fanoutState.draining;
    },
  };
}

/** One instance's fan-out state. */
interface FanoutState {
  readonly db: Db;
  readonly log: Logger;
  readonly publisher: RealtimePublisher;
  readonly handlers: Map<string, Handler[]>;
  listener: PgListener | null;
  /** published_seq of the last event this instance dispatched (or the newest one when it started). */
  last: number;
  wanted: boolean;
  draining: Promise<void> | null;
  retry: NodeJS.Timeout | null;
  closed: boolean;
}

async function dispatch(fanoutState: FanoutState, event: DomainEvent): Promise<void> {
  for (const handler of fanoutState.handlers.get(event.type) ?? []) {
    try {
      await handler(event, fanoutState.publisher);
    } catch (err) {
      fanoutState.log.error(
        { err, eventId: event.id, eventType: event.type },
        'realtime fan-out handler failed',
      );
    }
  }
}

async function catchUp(fanoutState: FanoutState): Promise<void> {
  for (;;) {
    const result = await fanoutState.db.query<OutboxRow & { published_seq: number }>(
      `SELECT ${OUTBOX_COLUMNS}, published_seq FROM outbox WHERE published_seq > $1 ORDER BY published_seq LIMIT ${BATCH}`,
      [fanoutState.last],
    );
    for (const row of result.rows) {
      if (fanoutState.closed) return;
      if (fanoutState.handlers.has(row.type)) await dispatch(fanoutState, eventFromRow(row));
      fanoutState.last = Number(row.published_seq);
    }
    if (result.rows.length < BATCH) return;
  }
}

// One pass at a time, so events reach sockets in publish order; a wake-up during a pass gets
// another pass.
function wake(fanoutState: FanoutState): void {
  fanoutState.wanted = true;
  if (fanoutState.draining || fanoutState.closed) return;
  fanoutState.draining = (async () => {
    while (fanoutState.wanted && !fanoutState.closed) {
      fanoutState.wanted = false;
      try {
        await catchUp(fanoutState);
      } catch (err) {
        fanoutState.log.error(
          { err, after: fanoutState.last },
          'realtime fan-out could not load published events; retrying',
        );
        fanoutState.retry ??= setTimeout(() => {
          fanoutState.retry = null;
          wake(fanoutState);
        }, RETRY_MS);
        fanoutState.retry.unref();
      }
    }
    fanoutState.draining = null;
  })();
}

function onNotify(fanoutState: FanoutState, channel: string, payload: string): void {
  if (channel === FANOUT_CHANNEL) return wake(fanoutState);
  if (channel !== BROADCAST_CHANNEL) return;
  try {
    const match = JSON.parse(payload) as { topic: Topic; type: string; payload: object };
    fanoutState.publisher.publish(match.topic, match.type, match.payload);
  } catch (err) {
    fanoutState.log.warn({ err }, 'ignored a malformed broadcast');
  }
}
