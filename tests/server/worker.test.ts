import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../server/worker.js';
import { domainEvent } from '../../server/shared/events/domain-event.js';
import { appendToOutbox } from '../../server/shared/events/outbox.js';
import { startTestApp, type TestApp } from '../support/app.js';

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

describe('the worker process', () => {
  it('when the API runs with background work off, then committed events wait, and a worker started on the same database relays them', async () => {
    const event = domainEvent(
      'enquiry.received',
      { enquiryId: randomUUID(), receivedAt: new Date().toISOString() },
      { at: new Date() },
    );
    await testApp.app.db.tx((tx) => appendToOutbox(tx, event));
    await new Promise((result) => setTimeout(result, 300));
    expect(await publishedAt(event.id)).toBeNull();

    const worker = await startWorker({
      NODE_ENV: 'test',
      DATABASE_URL: testApp.databaseUrl,
      LOG_LEVEL: 'silent',
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await publishedAt(event.id)) === null && Date.now() < deadline)
        await new Promise((result) => setTimeout(result, 50));
      expect(await publishedAt(event.id)).not.toBeNull();
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
