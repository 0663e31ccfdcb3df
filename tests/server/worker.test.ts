import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../server/worker.js';
import { domainEvent } from '../../server/shared/events/domain-event.js';
import { appendToOutbox } from '../../server/shared/events/outbox.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait.js';

let testApp: TestApp;
beforeAll(async () => {
  // The API leaves background work to the worker.
  testApp = await startTestApp({ env: { BK_BACKGROUND: 'off' } });
});
afterAll(async () => {
  await testApp?.close();
});

async function publishedAt(id: string): Promise<Date | null> {
  const { rows } = await testApp.app.db.query<{ published_at: Date | null }>(
    'SELECT published_at FROM outbox WHERE id = $1',
    [id],
  );
  return rows[0]?.published_at ?? null;
}

/**
 * Connections of this database that LISTEN for committed outbox events: the relay's. The listener
 * re-issues its LISTEN as its health check, so pg_stat_activity keeps showing it.
 */
async function outboxListeners(): Promise<number> {
  const { rows } = await testApp.app.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN bk_outbox'",
  );
  return rows[0]!.n;
}

describe('the worker process', () => {
  it('when the API runs with background work off, then committed events wait, and a worker started on the same database relays them', async () => {
    const event = domainEvent(
      'enquiry.received',
      { enquiryId: randomUUID(), receivedAt: new Date().toISOString() },
      { at: new Date() },
    );
    // The API started no relay (which LISTENs before it takes its first pass), so nothing in it
    // hears the commit or polls the outbox: the event waits.
    expect(await outboxListeners()).toBe(0);
    await testApp.app.db.tx((tx) => appendToOutbox(tx, event));
    expect(await publishedAt(event.id)).toBeNull();

    const worker = await startWorker({
      NODE_ENV: 'test',
      DATABASE_URL: testApp.databaseUrl,
      LOG_LEVEL: 'silent',
    });
    try {
      // The worker's relay is the one listening now (the check above can see one), and it relays.
      expect(await outboxListeners()).toBe(1);
      await waitFor(() => publishedAt(event.id), {
        what: 'the worker to publish the event',
        stepMs: 50,
      });
    } finally {
      await worker.stop();
    }
  });

  it('when no DATABASE_URL is set, then the worker refuses to start with a reason', async () => {
    await expect(startWorker({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })).rejects.toThrow(
      /needs DATABASE_URL/,
    );
  });
});
