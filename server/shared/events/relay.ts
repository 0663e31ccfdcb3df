import type { Db, Tx } from '../db/db.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../time/clock.js';
import {
  deliverOnce,
  eventFromRow,
  insertDeadLetter,
  OUTBOX_COLUMNS,
  type OutboxRow,
} from './delivery.js';
import type { DomainEvent } from './domain-event.js';
import type { EventConsumer } from './event-consumer.js';
import { createPgListener, type PgListener } from './pg-listener.js';

/** The channel the relay NOTIFYs with an event id once the event is published. */
export const FANOUT_CHANNEL = 'bk_fanout';
// Any constant works: it only has to be the same for every instance of this application.
const RELAY_LOCK = 7_342_004;

/** The channel `appendToOutbox` NOTIFYs on commit. */
export const OUTBOX_CHANNEL = 'bk_outbox';

export interface OutboxRelayOptions {
  db: Db;
  log: Logger;
  clock: Clock;
  consumers: readonly EventConsumer[];
  /** Attempts per consumer before the event is dead-lettered for it (default 8). */
  maxAttempts?: number;
  /** Delay before retry number `attempt` (1-based); default 1 s doubling, capped at 5 min. */
  backoffMs?: (attempt: number) => number;
  /** Safety-net poll besides LISTEN (default 5 s). */
  pollMs?: number;
  /** How often the LISTEN connection is checked (see createPgListener; default 10 s). */
  listenHealthCheckMs?: number;
  /** Rows claimed per transaction (default 50). */
  batchSize?: number;
  /** Called after a batch committed with the ids it published (metrics, tests). */
  onPublished?: (eventIds: readonly string[]) => void;
}

export interface OutboxRelay {
  /** LISTEN bk_outbox, start the poll, and drain what is already waiting. */
  start(): Promise<void>;
  /** Ask for a pass soon (a NOTIFY does the same). */
  wake(): void;
  /** Process until nothing is due; resolves with how many events were published. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/** Exponential backoff: base, 2x base, 4x base ... capped. */
export function exponentialBackoff(
  baseMs: number,
  capMs = 5 * 60_000,
): (attempt: number) => number {
  return (attempt) => Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** One consumer's failed delivery of an event, at its `attempts`th try. */
interface DeliveryFailure {
  consumer: string;
  event: DomainEvent;
  attempts: number;
  error: string;
  now: Date;
}

/** The consumer has run out of attempts: its delivery is dead and the event is dead-lettered. */
async function recordDead(tx: Tx, log: Logger, failure: DeliveryFailure): Promise<void> {
  const { consumer, event, attempts, error, now } = failure;
  await tx.query(
    `INSERT INTO event_deliveries (consumer, event_id, status, attempts, next_attempt_at, last_error, updated_at) VALUES ($1, $2, 'dead', $3, NULL, $4, $5)
     ON CONFLICT (consumer, event_id) DO UPDATE SET status = 'dead', attempts = $3, next_attempt_at = NULL, last_error = $4, updated_at = $5`,
    [consumer, event.id, attempts, error, now],
  );
  const id = await insertDeadLetter(tx, {
    event,
    consumer,
    attempts,
    error,
    at: now,
  });
  log.error(
    {
      consumer,
      eventId: event.id,
      eventType: event.type,
      attempts,
      deadLetterId: id,
      error,
    },
    'event consumer gave up: dead letter',
  );
}

/** The delivery is retried after the backoff for its attempt count. */
async function recordRetry(
  tx: Tx,
  log: Logger,
  failure: DeliveryFailure,
  backoff: (attempt: number) => number,
): Promise<void> {
  const { consumer, event, attempts, error, now } = failure;
  const next = new Date(now.getTime() + Math.max(1, backoff(attempts)));
  await tx.query(
    `INSERT INTO event_deliveries (consumer, event_id, status, attempts, next_attempt_at, last_error, updated_at) VALUES ($1, $2, 'retry', $3, $4, $5, $6)
     ON CONFLICT (consumer, event_id) DO UPDATE SET status = 'retry', attempts = $3, next_attempt_at = $4, last_error = $5, updated_at = $6`,
    [consumer, event.id, attempts, next, error, now],
  );
  log.warn(
    {
      consumer,
      eventId: event.id,
      eventType: event.type,
      attempts,
      nextAttemptAt: next.toISOString(),
      error,
    },
    'event consumer failed; will retry',
  );
}

/**
 * The outbox relay. Claims unpublished outbox rows in `position` order with FOR UPDATE SKIP LOCKED
 * under a transaction-scoped advisory lock (every instance runs a relay and any of them takes the
 * next batch, one batch at a time, so events publish in commit order), hands each event to every consumer
 * of its type exactly once (the processed record commits with the consumer's writes), retries
 * failures with exponential backoff, dead-letters after `maxAttempts`, and when no consumer is
 * left pending marks the row published and NOTIFYs `bk_fanout` with its id, on commit, so every
 * instance's realtime fan-out delivers it to its own sockets.
 * @example
 * const relay = createOutboxRelay({ db, log, clock, consumers: [...chat.consumers] });
 * await relay.start();
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, log, clock, consumers } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoffMs ?? exponentialBackoff(1_000);
  const batchSize = options.batchSize ?? 50;
  const byType = new Map<string, EventConsumer[]>();
  const names = new Set<string>();
  for (const eventConsumer of consumers) {
    if (names.has(eventConsumer.name))
      throw new Error(`two event consumers are named "${eventConsumer.name}"`);
    names.add(eventConsumer.name);
    for (const text of eventConsumer.types)
      byType.set(text, [...(byType.get(text) ?? []), eventConsumer]);
  }

  let listener: PgListener | null = null;
  let poll: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let loop: Promise<number> | null = null;
  let again = false;
  let closed = false;

  async function processRow(tx: Tx, row: OutboxRow, now: Date): Promise<boolean> {
    const event = eventFromRow(row);
    const mine = byType.get(event.type) ?? [];
    let pending = false;
    if (mine.length) {
      const states = await tx.query<{
        consumer: string;
        status: string;
        attempts: number;
        next_attempt_at: Date | null;
      }>(
        'SELECT consumer, status, attempts, next_attempt_at FROM event_deliveries WHERE event_id = $1',
        [event.id],
      );
      const state = new Map(states.rows.map((row) => [row.consumer, row]));
      for (const consumer of mine) {
        const text = state.get(consumer.name);
        if (text?.status === 'processed' || text?.status === 'dead') continue;
        if (
          text?.status === 'retry' &&
          text.next_attempt_at &&
          text.next_attempt_at.getTime() > now.getTime()
        ) {
          pending = true;
          continue;
        }
        const outcome = await deliverOnce(tx, consumer, event, now);
        if (outcome.ok) continue;
        const attempts = (text?.attempts ?? 0) + 1;
        const failure = { consumer: consumer.name, event, attempts, error: outcome.error, now };
        if (attempts >= maxAttempts) await recordDead(tx, log, failure);
        else {
          await recordRetry(tx, log, failure, backoff);
          pending = true;
        }
      }
    }
    if (pending) return false;
    await tx.query(
      "UPDATE outbox SET published_at = $2, published_seq = nextval('outbox_published_seq') WHERE id = $1",
      [event.id, now],
    );
    await tx.query('SELECT pg_notify($1, $2)', [FANOUT_CHANNEL, event.id]);
    return true;
  }

  /** One transaction: claim a batch of due rows, process them; returns [claimed, published ids]. */
  async function processBatch(): Promise<[number, string[]]> {
    const now = clock.now();
    return db.tx(async (tx) => {
      // One relay transaction at a time across instances: batches commit, and so NOTIFY bk_fanout,
      // in outbox order, so live frames reach sockets in the order their events committed. Any
      // instance can take over; SKIP LOCKED below still keeps a stuck claim from blocking others.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK]);
      const claimed = await tx.query<OutboxRow>(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox o
          WHERE o.published_at IS NULL
            AND COALESCE((SELECT min(d.next_attempt_at) FROM event_deliveries d WHERE d.event_id = o.id AND d.status = 'retry'), '-infinity'::timestamptz) <= $1
          ORDER BY o.position
          LIMIT $2
          FOR UPDATE OF o SKIP LOCKED`,
        [now, batchSize],
      );
      const published: string[] = [];
      for (const row of claimed.rows) if (await processRow(tx, row, now)) published.push(row.id);
      return [claimed.rows.length, published];
    });
  }

  async function run(): Promise<number> {
    let total = 0;
    for (;;) {
      again = false;
      for (;;) {
        const [claimed, published] = await processBatch();
        total += published.length;
        if (published.length) options.onPublished?.(published);
        if (claimed < batchSize) break;
      }
      await scheduleRetry();
      // A wake-up that came in while this pass ran (even during scheduleRetry) gets its own pass.
      if (!again || closed) return total;
    }
  }

  /** With the real clock, wake when the earliest retry falls due instead of waiting for the poll. */
  async function scheduleRetry(): Promise<void> {
    if (closed || !poll) return;
    const result = await db.query<{ at: Date | null }>(
      "SELECT min(next_attempt_at) AS at FROM event_deliveries WHERE status = 'retry'",
    );
    const at = result.rows[0]?.at;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (!at) return;
    const delay = Math.max(0, at.getTime() - clock.nowMs());
    if (delay > (options.pollMs ?? 5_000)) return;
    retryTimer = setTimeout(() => relay.wake(), delay + 5);
    retryTimer.unref();
  }

  const relay: OutboxRelay = {
    async start() {
      listener = createPgListener({
        db,
        log,
        channels: [OUTBOX_CHANNEL],
        onNotify: () => relay.wake(),
        onReconnect: () => relay.wake(),
        ...(options.listenHealthCheckMs ? { healthCheckMs: options.listenHealthCheckMs } : {}),
      });
      await listener.start();
      poll = setInterval(() => relay.wake(), options.pollMs ?? 5_000);
      poll.unref();
      relay.wake();
    },
    wake() {
      if (closed) return;
      relay.drain().catch((err: unknown) => log.error({ err }, 'outbox relay pass failed'));
    },
    drain() {
      if (closed) return Promise.resolve(0);
      if (loop) {
        again = true;
        return loop;
      }
      loop = run().finally(() => {
        loop = null;
      });
      return loop;
    },
    async close() {
      closed = true;
      if (poll) clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      await listener?.close();
      await loop?.catch(() => 0);
    },
  };
  return relay;
}

export type { DomainEvent };
