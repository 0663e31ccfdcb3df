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

export interface PgFanout extends RealtimeFanout {
  start(): Promise<void>;
  close(): Promise<void>;
  /** Runs this instance's handlers for one event (what a `bk_fanout` notification triggers). */
  dispatch(event: DomainEvent): Promise<void>;
}

/**
 * Cross-instance fan-out through Postgres LISTEN/NOTIFY. Every instance LISTENs on `bk_fanout`
 * (the relay NOTIFYs an event id once the event is published), loads the events in outbox order
 * and runs its `onEvent` handlers against its own sockets; `broadcast` NOTIFYs `bk_broadcast` and
 * every instance, this one included, publishes the frame locally.
 */
export function createPgFanout(deps: { db: Db; log: Logger; publisher: RealtimePublisher }): PgFanout {
  const { db, log, publisher } = deps;
  const handlers = new Map<string, Handler[]>();
  let listener: PgListener | null = null;
  let queue: string[] = [];
  let draining: Promise<void> | null = null;

  async function dispatch(event: DomainEvent): Promise<void> {
    for (const h of handlers.get(event.type) ?? []) {
      try {
        await h(event, publisher);
      } catch (err) {
        log.error({ err, eventId: event.id, eventType: event.type }, 'realtime fan-out handler failed');
      }
    }
  }

  // Notifications are handled one batch at a time so events reach sockets in outbox order.
  async function drain(): Promise<void> {
    while (queue.length) {
      const ids = queue.splice(0, 200);
      try {
        const r = await db.query<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY position`, [ids]);
        for (const row of r.rows) if (handlers.has(row.type)) await dispatch(eventFromRow(row));
      } catch (err) {
        log.error({ err, count: ids.length }, 'realtime fan-out could not load events');
      }
    }
  }

  function onNotify(channel: string, payload: string): void {
    if (channel === FANOUT_CHANNEL) {
      if (!/^[0-9a-f-]{36}$/i.test(payload)) return;
      queue.push(payload);
      draining ??= drain().finally(() => {
        draining = null;
      });
      return;
    }
    if (channel === BROADCAST_CHANNEL) {
      try {
        const m = JSON.parse(payload) as { topic: Topic; type: string; payload: object };
        publisher.publish(m.topic, m.type, m.payload);
      } catch (err) {
        log.warn({ err }, 'ignored a malformed broadcast');
      }
    }
  }

  return {
    onEvent(types, handler) {
      for (const t of types) handlers.set(t, [...(handlers.get(t) ?? []), handler]);
    },
    async broadcast(topic, type, payload) {
      const text = JSON.stringify({ topic, type, payload });
      if (Buffer.byteLength(text) > MAX_BROADCAST_BYTES) throw new Error(`broadcast of ${type} is too large for NOTIFY`);
      await db.query('SELECT pg_notify($1, $2)', [BROADCAST_CHANNEL, text]);
    },
    dispatch,
    async start() {
      listener = createPgListener({ db, log, channels: [FANOUT_CHANNEL, BROADCAST_CHANNEL], onNotify });
      await listener.start();
    },
    async close() {
      await listener?.close();
      listener = null;
      queue = [];
      await draining;
    },
  };
}
