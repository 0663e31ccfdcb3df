/**
 * Issue 11, point 12: retention. One housekeeping pass (the real task list, built from the
 * configured retention periods) purges each kind of expired data and keeps what must stay: published
 * outbox rows (not the unpublished, the young, or those a dead letter still needs), ended sessions,
 * the bodies of deleted chat messages in the outbox, and the texts of the moderation trail. The
 * periods are shortened by configuration here; docs/retention.md states the defaults.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeModules, noSocketsFanout } from '../../server/compose.js';
import { domainEvent } from '../../server/shared/events/domain-event.js';
import { appendToOutbox } from '../../server/shared/events/outbox.js';
import { createOutboxRelay } from '../../server/shared/events/relay.js';
import { createHousekeeping } from '../../server/shared/jobs/housekeeping.js';
import { insertUser } from '../identity/identity-fixtures.js';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { typedClient } from '../support/typed-client.js';

const DAY = 24 * 3_600_000;
let testApp: TestApp;

beforeAll(async () => {
  // Background work off: the test publishes (runs the relay) itself, so it can leave a row unpublished.
  testApp = await startTestApp({
    env: {
      BK_BACKGROUND: 'off',
      BK_RETENTION_PUBLISHED_OUTBOX_DAYS: '2',
      BK_RETENTION_ENDED_SESSIONS_DAYS: '2',
      BK_RETENTION_MODERATION_TEXT_DAYS: '10',
    },
  });
});
afterAll(async () => {
  await testApp?.close();
});

/** Runs one pass of the housekeeping the app is configured with. */
async function housekeep(): Promise<void> {
  const { housekeeping: tasks } = composeModules({
    config: testApp.app.config,
    db: testApp.app.db,
    clock: testApp.clock,
    log: testApp.app.log,
    fanout: noSocketsFanout,
  });
  const housekeeping = createHousekeeping({
    log: testApp.app.log,
    clock: testApp.clock,
    intervalMs: 60_000,
    tasks,
  });
  await housekeeping.runOnce();
  await housekeeping.close();
}

/** Publishes every committed outbox row, at the test clock's time. */
async function publish(): Promise<void> {
  const relay = createOutboxRelay({
    db: testApp.app.db,
    log: testApp.app.log,
    clock: testApp.clock,
    consumers: [],
  });
  await relay.drain();
  await relay.close();
}

async function send(who: SignedIn, conversationId: string, body: string): Promise<string> {
  const result = await typedClient(testApp.baseUrl, who.headers()).POST(
    '/api/v1/client/chat/conversations/{conversationId}/messages',
    { params: { path: { conversationId } }, body: { clientMessageId: `c-${randomUUID()}`, body } },
  );
  expect(result.response.status).toBe(201);
  return result.data!.messageId;
}

/** Outbox rows about one chat message: type, whether published, and the body they carry. */
async function outboxCopies(
  messageId: string,
): Promise<{ type: string; published: boolean; body: string | null; deleted: boolean | null }[]> {
  const result = await testApp.app.db.query<{
    type: string;
    published: boolean;
    body: string | null;
    deleted: boolean | null;
  }>(
    `SELECT type, published_at IS NOT NULL AS published, payload #>> '{message,body}' AS body, (payload #>> '{message,deleted}')::boolean AS deleted
       FROM outbox WHERE payload #>> '{message,messageId}' = $1 ORDER BY position`,
    [messageId],
  );
  return result.rows;
}

async function moderationTexts(
  messageId: string,
): Promise<{ action: string; before: string | null; after: string | null }[]> {
  const result = await testApp.app.db.query<{
    action: string;
    before: string | null;
    after: string | null;
  }>('SELECT action, before, after FROM chat_moderation WHERE message_id = $1 ORDER BY position', [
    messageId,
  ]);
  return result.rows;
}

describe('retention: one housekeeping pass purges what expired and keeps the rest', () => {
  it('when outbox rows, sessions and deleted chat bodies pass their retention, then they go; unpublished rows, young rows, rows a dead letter needs, live and recent sessions and young moderation texts stay', async () => {
    const demo = await testApp.app.identity.seedDemoUsers();
    const user = await insertUser(testApp);
    // Staff sign in again each time: the clock moves days, and admin sessions last minutes.
    const staff = async () =>
      typedClient(
        testApp.baseUrl,
        (await signIn(testApp, 'admin', demo.admin.email, demo.admin.password)).headers(),
      );
    let asAdmin = await staff();

    const day0 = testApp.clock.now();
    // Day 0: a session that ends now, three lobby messages, one edited and one deleted by staff.
    const ended = await signIn(testApp, 'client', user.email, user.password);
    expect(
      (await typedClient(testApp.baseUrl, ended.headers()).POST('/api/v1/client/auth/logout'))
        .response.status,
    ).toBe(204);
    const client = await signIn(testApp, 'client', user.email, user.password);
    const lobbyId = (
      await typedClient(testApp.baseUrl, client.headers()).GET('/api/v1/client/chat/conversations')
    ).data!.items.find((item) => item.kind === 'lobby')!.conversationId;
    const kept = await send(client, lobbyId, 'an ordinary message');
    const removed = await send(client, lobbyId, 'a message staff will delete');
    const edited = await send(client, lobbyId, 'a message staff will edit');
    expect(
      (
        await asAdmin.POST('/api/v1/admin/chat/messages/{messageId}/edit', {
          params: { path: { messageId: edited } },
          body: { body: 'edited by staff', reason: 'Tidy.' },
        })
      ).response.status,
    ).toBe(200);
    expect(
      (
        await asAdmin.POST('/api/v1/admin/chat/messages/{messageId}/delete', {
          params: { path: { messageId: removed } },
          body: { reason: 'Spam.' },
        })
      ).response.status,
    ).toBe(200);
    await publish();
    // A consumer gave up on the deleted message's event, and nobody replayed it yet: replay needs the row.
    const removedEvent = (
      await testApp.app.db.query<{ id: string }>(
        "SELECT id FROM outbox WHERE type = 'chat.message_posted' AND payload #>> '{message,messageId}' = $1",
        [removed],
      )
    ).rows[0]!.id;
    await testApp.app.db.query(
      "INSERT INTO dead_letters (id, event_id, event_type, consumer, attempts, last_error, failed_at) VALUES ($1, $2, 'chat.message_posted', 'test', 1, 'Error: test', $3)",
      [randomUUID(), removedEvent, testApp.clock.now()],
    );
    const keptEvent = (
      await testApp.app.db.query<{ id: string }>(
        "SELECT id FROM outbox WHERE type = 'chat.message_posted' AND payload #>> '{message,messageId}' = $1",
        [kept],
      )
    ).rows[0]!.id;
    await testApp.app.db.query(
      "INSERT INTO event_deliveries (consumer, event_id, status, attempts, updated_at) VALUES ('test', $1, 'processed', 1, $2)",
      [keptEvent, testApp.clock.now()],
    );

    // Day 2.5: a session ends (recently, at day 3). Day 3: a new message, and one deleted at once.
    testApp.clock.advance(2.5 * DAY);
    const recent = await signIn(testApp, 'client', user.email, user.password);
    expect(
      (await typedClient(testApp.baseUrl, recent.headers()).POST('/api/v1/client/auth/logout'))
        .response.status,
    ).toBe(204);
    testApp.clock.advance(0.5 * DAY);
    const live = await signIn(testApp, 'client', user.email, user.password);
    const fresh = await send(live, lobbyId, 'a fresh message');
    const freshSecret = await send(live, lobbyId, 'a fresh message staff will delete');
    await publish();
    asAdmin = await staff();
    expect(
      (
        await asAdmin.POST('/api/v1/admin/chat/messages/{messageId}/delete', {
          params: { path: { messageId: freshSecret } },
          body: { reason: 'Spam.' },
        })
      ).response.status,
    ).toBe(200);
    await publish();
    // An event from day 0 that no relay has published (its relay is behind): it is not history yet.
    const waiting = randomUUID();
    await testApp.app.db.tx((tx) =>
      appendToOutbox(tx, { ...domainEvent('test.waiting', { n: 1 }, { at: day0 }), id: waiting }),
    );

    await housekeep();

    // Published day-0 rows are gone, with their delivery records; the one a dead letter needs stays.
    expect(await outboxCopies(kept)).toEqual([]);
    expect(await outboxCopies(edited)).toEqual([]);
    expect(
      (
        await testApp.app.db.query('SELECT 1 FROM event_deliveries WHERE event_id = $1', [
          keptEvent,
        ])
      ).rowCount,
    ).toBe(0);
    expect(
      (
        await testApp.app.db.query('SELECT 1 FROM outbox WHERE id = $1 AND published_at IS NULL', [
          waiting,
        ])
      ).rowCount,
    ).toBe(1);
    // Copies of deleted messages' bodies are gone from what is kept; other bodies stay.
    expect(await outboxCopies(removed)).toEqual([
      { type: 'chat.message_posted', published: true, body: null, deleted: true },
    ]);
    expect(await outboxCopies(fresh)).toEqual([
      { type: 'chat.message_posted', published: true, body: 'a fresh message', deleted: false },
    ]);
    expect(await outboxCopies(freshSecret)).toEqual([
      { type: 'chat.message_posted', published: true, body: null, deleted: true },
      { type: 'chat.message_updated', published: true, body: null, deleted: true },
    ]);
    // Sessions: the two that ended on day 0 (one logged out, one idle) are gone; the one that ended
    // half a day ago and the live one stay (and the live one works).
    const sessions = await testApp.app.db.query<{ created_at: Date }>(
      'SELECT created_at FROM sessions WHERE user_id = $1 ORDER BY created_at',
      [user.id],
    );
    expect(sessions.rows.map((row) => (row.created_at.getTime() - day0.getTime()) / DAY)).toEqual([
      2.5, 3,
    ]);
    expect(
      (await typedClient(testApp.baseUrl, live.headers()).GET('/api/v1/client/auth/me')).response
        .status,
    ).toBe(200);
    expect(
      (await typedClient(testApp.baseUrl, ended.headers()).GET('/api/v1/client/auth/me')).response
        .status,
    ).toBe(401);
    // Moderation texts are young (3 days of 10): kept.
    expect(await moderationTexts(edited)).toEqual([
      { action: 'edit', before: 'a message staff will edit', after: 'edited by staff' },
    ]);
    expect(await moderationTexts(removed)).toEqual([
      { action: 'delete', before: 'a message staff will delete', after: null },
    ]);

    // Day 11: the day-0 trail is past its 10 days and loses its texts; the day-3 entry keeps its own.
    testApp.clock.advance(8 * DAY);
    await housekeep();
    expect(await moderationTexts(edited)).toEqual([{ action: 'edit', before: null, after: null }]);
    expect(await moderationTexts(removed)).toEqual([
      { action: 'delete', before: null, after: null },
    ]);
    expect(await moderationTexts(freshSecret)).toEqual([
      { action: 'delete', before: 'a fresh message staff will delete', after: null },
    ]);
    asAdmin = await staff();
    const trail = await asAdmin.GET('/api/v1/admin/chat/messages/{messageId}/moderation', {
      params: { path: { messageId: edited } },
    });
    expect(trail.response.status).toBe(200);
    expect(trail.data!.items).toMatchObject([
      { action: 'edit', before: null, after: null, reason: 'Tidy.' },
    ]);
    // Unpublished rows are never purged, however old.
    expect(
      (await testApp.app.db.query('SELECT 1 FROM outbox WHERE id = $1', [waiting])).rowCount,
    ).toBe(1);
  });
});
