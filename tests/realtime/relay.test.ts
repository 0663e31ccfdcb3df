import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEventsModule } from '../../server/modules/events/index.js';
import { createDb } from '../../server/shared/db/db.js';
import { AppError } from '../../server/shared/errors/app-error.js';
import { domainEvent, type DomainEvent } from '../../server/shared/events/domain-event.js';
import type { EventConsumer } from '../../server/shared/events/event-consumer.js';
import { appendToOutbox } from '../../server/shared/events/outbox.js';
import {
  createOutboxRelay,
  exponentialBackoff,
  FANOUT_CHANNEL,
} from '../../server/shared/events/relay.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait.js';
import { databaseUrlOf } from './support.js';

let testApp: TestApp;

beforeAll(async () => {
  // These tests run their own relays and instances; the app's own relay would race them for events.
  testApp = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
  await testApp.app.db.query(
    'CREATE TABLE rt_effects (consumer text NOT NULL, event_id uuid NOT NULL)',
  );
});
afterAll(async () => {
  await testApp?.close();
});
beforeEach(async () => {
  // Each test starts from an empty outbox so relays only see its own events.
  await testApp.app.db.query('UPDATE outbox SET published_at = now() WHERE published_at IS NULL');
});

/** A consumer whose effect is one row in rt_effects, written through the relay's transaction. */
function effectConsumer(
  name: string,
  types: string[],
  behaviour: { failTimes?: number; crashOnce?: boolean } = {},
): EventConsumer & { calls: number } {
  let failures = 0;
  let crashed = false;
  const item = {
    name,
    types,
    calls: 0,
    async handle(event: DomainEvent, tx: Parameters<EventConsumer['handle']>[1]) {
      item.calls++;
      await tx.query('INSERT INTO rt_effects (consumer, event_id) VALUES ($1, $2)', [
        name,
        event.id,
      ]);
      if (behaviour.crashOnce && !crashed) {
        crashed = true;
        // The process dies midway: its database session is killed with the transaction open.
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }
      if (failures < (behaviour.failTimes ?? 0)) {
        failures++;
        throw new Error(`smtp: connection refused (${failures})`);
      }
    },
  };
  return item;
}

async function commitEvent(type: string): Promise<DomainEvent> {
  const event = domainEvent(type, { n: randomUUID() }, { at: testApp.clock.now() });
  await testApp.app.db.tx((tx) => appendToOutbox(tx, event));
  return event;
}

async function effects(eventId: string): Promise<Record<string, number>> {
  const result = await testApp.app.db.query<{ consumer: string; n: number }>(
    'SELECT consumer, count(*)::int AS n FROM rt_effects WHERE event_id = $1 GROUP BY consumer',
    [eventId],
  );
  return Object.fromEntries(result.rows.map((row) => [row.consumer, row.n]));
}

async function deliveries(eventId: string) {
  const result = await testApp.app.db.query<{
    consumer: string;
    status: string;
    attempts: number;
    next_attempt_at: Date | null;
  }>(
    'SELECT consumer, status, attempts, next_attempt_at FROM event_deliveries WHERE event_id = $1 ORDER BY consumer',
    [eventId],
  );
  return result.rows;
}

const published = async (id: string) =>
  (
    await testApp.app.db.query<{ p: Date | null }>(
      'SELECT published_at AS p FROM outbox WHERE id = $1',
      [id],
    )
  ).rows[0]!.p !== null;

describe('crash safety', () => {
  it('when an event was committed while no relay ran, then after a start each consumer gets it exactly once, even with two relays racing', async () => {
    const left = effectConsumer('test.a', ['test.crash']);
    const right = effectConsumer('test.b', ['test.crash']);
    const event = await commitEvent('test.crash');
    const r1 = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [left, right],
    });
    const r2 = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [left, right],
    });
    await Promise.all([r1.drain(), r2.drain()]);
    expect(await effects(event.id)).toEqual({ 'test.a': 1, 'test.b': 1 });
    expect((await deliveries(event.id)).map((data) => [data.consumer, data.status])).toEqual([
      ['test.a', 'processed'],
      ['test.b', 'processed'],
    ]);
    expect(await published(event.id)).toBe(true);

    // A redelivery (the row unpublished again, as after a crash before the publish) is skipped.
    await testApp.app.db.query('UPDATE outbox SET published_at = NULL WHERE id = $1', [event.id]);
    await r1.drain();
    expect(await effects(event.id)).toEqual({ 'test.a': 1, 'test.b': 1 });
    expect(left.calls + right.calls).toBe(2);
    await Promise.all([r1.close(), r2.close()]);
  });

  it('when the process dies midway through a consumer (its session killed), then nothing of that pass stays and the restarted relay applies each effect once', async () => {
    const crashy = effectConsumer('test.crashy', ['test.midway'], { crashOnce: true });
    const calm = effectConsumer('test.calm', ['test.midway']);
    const event = await commitEvent('test.midway');
    // The dying "process" gets its own pool. A pg client whose backend is killed while checked out
    // emits 'error' after the pool let go of it; db.ts does not listen for that (reported).
    const dying = createDb(databaseUrlOf(testApp), { max: 2 });
    dying.pool.on('connect', (poolClient) => poolClient.on('error', () => undefined));
    const before = createOutboxRelay({
      db: dying,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [calm, crashy],
    });
    await expect(before.drain()).rejects.toThrow();
    await before.close();
    await dying.close();
    expect(await effects(event.id)).toEqual({});
    expect(await deliveries(event.id)).toEqual([]);
    const after = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [calm, crashy],
    });
    await after.drain();
    expect(await effects(event.id)).toEqual({ 'test.calm': 1, 'test.crashy': 1 });
    expect(await published(event.id)).toBe(true);
    await after.close();
  });

  it('when a consumer throws after writing, then its write is rolled back and the other consumer is not affected', async () => {
    const failing = effectConsumer('test.failing', ['test.partial'], { failTimes: 1 });
    const fine = effectConsumer('test.fine', ['test.partial']);
    const event = await commitEvent('test.partial');
    const relay = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [failing, fine],
      backoffMs: exponentialBackoff(100),
    });
    await relay.drain();
    expect(await effects(event.id)).toEqual({ 'test.fine': 1 });
    expect(await published(event.id)).toBe(false);
    const data = await deliveries(event.id);
    expect(data.map((item) => [item.consumer, item.status, item.attempts])).toEqual([
      ['test.failing', 'retry', 1],
      ['test.fine', 'processed', 1],
    ]);
    testApp.clock.advance(100);
    await relay.drain();
    expect(await effects(event.id)).toEqual({ 'test.fine': 1, 'test.failing': 1 });
    expect(await published(event.id)).toBe(true);
    expect(fine.calls).toBe(1);
    await relay.close();
  });
});

describe('retries and dead letters', () => {
  it('when a consumer keeps failing, then it is retried with exponential backoff and dead-lettered after the last attempt, and the event is published', async () => {
    const broken = effectConsumer('test.broken', ['test.retry'], { failTimes: 100 });
    const event = await commitEvent('test.retry');
    const relay = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [broken],
      maxAttempts: 4,
      backoffMs: exponentialBackoff(1_000),
    });
    const start = testApp.clock.nowMs();
    await relay.drain();
    let data = (await deliveries(event.id))[0]!;
    expect(data).toMatchObject({ status: 'retry', attempts: 1 });
    expect(data.next_attempt_at!.getTime() - start).toBe(1_000);
    // Not due yet: nothing happens.
    testApp.clock.advance(999);
    await relay.drain();
    expect(broken.calls).toBe(1);
    testApp.clock.advance(1);
    await relay.drain();
    data = (await deliveries(event.id))[0]!;
    expect(data).toMatchObject({ status: 'retry', attempts: 2 });
    expect(data.next_attempt_at!.getTime() - testApp.clock.nowMs()).toBe(2_000);
    testApp.clock.advance(2_000);
    await relay.drain();
    testApp.clock.advance(4_000);
    await relay.drain();
    expect(broken.calls).toBe(4);
    data = (await deliveries(event.id))[0]!;
    expect(data).toMatchObject({ status: 'dead', attempts: 4 });
    expect(await published(event.id)).toBe(true);
    const dl = await testApp.app.db.query<{
      consumer: string;
      attempts: number;
      last_error: string;
    }>('SELECT consumer, attempts, last_error FROM dead_letters WHERE event_id = $1', [event.id]);
    expect(dl.rows).toEqual([
      { consumer: 'test.broken', attempts: 4, last_error: 'Error: smtp: connection refused (4)' },
    ]);
    expect(await effects(event.id)).toEqual({});
    await relay.close();
  });

  it('when a dead letter is replayed, then the consumer runs once, replayedAt is set, a second replay is refused, and an unknown id is not found', async () => {
    const flaky = effectConsumer('test.flaky', ['test.replay'], { failTimes: 2 });
    const event = await commitEvent('test.replay');
    const relay = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [flaky],
      maxAttempts: 2,
      backoffMs: () => 1,
    });
    await relay.drain();
    testApp.clock.advance(1);
    await relay.drain();
    const events = createEventsModule({
      db: testApp.app.db,
      log: testApp.app.log,
      consumers: [flaky],
    });
    const page = await events.listDeadLetters({ limit: 100 });
    const dl = page.items.find((item) => item.eventId === event.id)!;
    expect(dl).toMatchObject({
      consumer: 'test.flaky',
      eventType: 'test.replay',
      attempts: 2,
      replayedAt: null,
    });

    const replayed = await events.replayDeadLetter(dl.id, testApp.clock.now());
    expect(replayed.replayedAt).toBe(testApp.clock.now().toISOString());
    expect(await effects(event.id)).toEqual({ 'test.flaky': 1 });
    expect((await deliveries(event.id))[0]).toMatchObject({ status: 'processed' });

    const again = await events
      .replayDeadLetter(dl.id, testApp.clock.now())
      .catch((entry: unknown) => entry);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).code).toBe('EVENTS.ALREADY_REPLAYED');
    const missing = await events
      .replayDeadLetter(randomUUID(), testApp.clock.now())
      .catch((entry: unknown) => entry);
    expect((missing as AppError).code).toBe('EVENTS.DEAD_LETTER_NOT_FOUND');
    expect(await effects(event.id)).toEqual({ 'test.flaky': 1 });
    await relay.close();
  });

  it('when a replay fails again, then no effect stays and the failure is a new dead letter; the list pages newest first', async () => {
    const broken = effectConsumer('test.still-broken', ['test.replay-fails'], { failTimes: 100 });
    const event = await commitEvent('test.replay-fails');
    const relay = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [broken],
      maxAttempts: 1,
    });
    await relay.drain();
    const events = createEventsModule({
      db: testApp.app.db,
      log: testApp.app.log,
      consumers: [broken],
    });
    const first = (await events.listDeadLetters({ limit: 100 })).items.find(
      (item) => item.eventId === event.id,
    )!;
    testApp.clock.advance(1_000);
    await events.replayDeadLetter(first.id, testApp.clock.now());
    expect(await effects(event.id)).toEqual({});
    const mine = (await events.listDeadLetters({ limit: 100 })).items.filter(
      (item) => item.eventId === event.id,
    );
    expect(
      mine.map((deadLetterView) => [deadLetterView.attempts, deadLetterView.replayedAt === null]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    const p1 = await events.listDeadLetters({ limit: 1 });
    expect(p1.items).toHaveLength(1);
    expect(p1.nextCursor).not.toBeNull();
    const p2 = await events.listDeadLetters({ limit: 1, cursor: p1.nextCursor! });
    expect(p2.items[0]!.id).not.toBe(p1.items[0]!.id);
    await relay.close();
  });
});

describe('wake-ups and fan-out notification', () => {
  it('when an event commits, then a started relay publishes it through LISTEN without waiting for the poll, and NOTIFYs bk_fanout with its id', async () => {
    const listen = await testApp.app.db.connect();
    const ids: string[] = [];
    listen.on('notification', (notification) => ids.push(notification.payload ?? ''));
    await listen.query(`LISTEN ${FANOUT_CHANNEL}`);
    const relay = createOutboxRelay({
      db: testApp.app.db,
      log: testApp.app.log,
      clock: testApp.clock,
      consumers: [],
      // Node's longest timer: no poll comes during this test, only a NOTIFY can wake the relay.
      pollMs: 2 ** 31 - 1,
    });
    await relay.start();
    // The pass start() began is over: a pass still running could pick the event up by itself.
    await relay.drain();
    const event = await commitEvent('test.live');
    await waitFor(() => ids.includes(event.id), { what: 'the NOTIFY on bk_fanout' });
    await relay.close();
    listen.release();
  });
});
