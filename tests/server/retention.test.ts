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
let t: TestApp;

beforeAll(async () => {
  // Background work off: the test publishes (runs the relay) itself, so it can leave a row unpublished.
  t = await startTestApp({
    env: {
      BK_BACKGROUND: 'off',
      BK_RETENTION_PUBLISHED_OUTBOX_DAYS: '2',
      BK_RETENTION_ENDED_SESSIONS_DAYS: '2',
      BK_RETENTION_MODERATION_TEXT_DAYS: '10',
    },
  });
});
afterAll(async () => {
  await t?.close();
});

/** Runs one pass of the housekeeping the app is configured with. */
async function housekeep(): Promise<void> {
  const { housekeeping: tasks } = composeModules({
    config: t.app.config,
    db: t.app.db,
    clock: t.clock,
    log: t.app.log,
    fanout: noSocketsFanout,
  });
  const housekeeping = createHousekeeping({
    log: t.app.log,
    clock: t.clock,
    intervalMs: 60_000,
    tasks,
  });
  await housekeeping.runOnce();
  await housekeeping.close();
}

/** Publishes every committed outbox row, at the test clock's time. */
async function publish(): Promise<void> {
  const relay = createOutboxRelay({ db: t.app.db, log: t.app.log, clock: t.clock, consumers: [] });
  await relay.drain();
  await relay.close();
}

async function send(who: SignedIn, conversationId: string, body: string): Promise<string> {
  const r = await typedClient(t.baseUrl, who.headers()).POST(
    '/api/v1/client/chat/conversations/{conversationId}/messages',
    { params: { path: { conversationId } }, body: { clientMessageId: `c-${randomUUID()}`, body } },
  );
  expect(r.response.status).toBe(201);
  return r.data!.messageId;
}

/** Outbox rows about one chat message: type, whether published, and the body they carry. */
async function outboxCopies(
  messageId: string,
): Promise<{ type: string; published: boolean; body: string | null; deleted: boolean | null }[]> {
  const r = await t.app.db.query<{
    type: string;
    published: boolean;
    body: string | null;
    deleted: boolean | null;
  }>(
    `SELECT type, published_at IS NOT NULL AS published, payload #>> '{message,body}' AS body, (payload #>> '{message,deleted}')::boolean AS deleted
       FROM outbox WHERE payload #>> '{message,messageId}' = $1 ORDER BY position`,
    [messageId],
  );
  return r.rows;
}

async function moderationTexts(
  messageId: string,
): Promise<{ action: string; before: string | null; after: string | null }[]> {
  const r = await t.app.db.query<{ action: string; before: string | null; after: string | null }>(
    'SELECT action, before, after FROM chat_moderation WHERE message_id = $1 ORDER BY position',
    [messageId],
  );
  return r.rows;
}

describe('retention: one housekeeping pass purges what expired and keeps the rest', () => {
  it('when outbox rows, sessions and deleted chat bodies pass their retention, then they go; unpublished rows, young rows, rows a dead letter needs, live and recent sessions and young moderation texts stay', async () => {
    const demo = await t.app.identity.seedDemoUsers();
    const u = await insertUser(t);
    // Staff sign in again each time: the clock moves days, and admin sessions last minutes.
    const staff = async () =>
      typedClient(
        t.baseUrl,
        (await signIn(t, 'admin', demo.admin.email, demo.admin.password)).headers(),
      );
    let asAdmin = await staff();

    const day0 = t.clock.now();
    // Day 0: a session that ends now, three lobby messages, one edited and one deleted by staff.
    const ended = await signIn(t, 'client', u.email, u.password);
    expect(
      (await typedClient(t.baseUrl, ended.headers()).POST('/api/v1/client/auth/logout')).response
        .status,
    ).toBe(204);
    const client = await signIn(t, 'client', u.email, u.password);
    const lobbyId = (
      await typedClient(t.baseUrl, client.headers()).GET('/api/v1/client/chat/conversations')
    ).data!.items.find((c) => c.kind === 'lobby')!.conversationId;
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
      await t.app.db.query<{ id: string }>(
        "SELECT id FROM outbox WHERE type = 'chat.message_posted' AND payload #>> '{message,messageId}' = $1",
        [removed],
      )
    ).rows[0]!.id;
    await t.app.db.query(
      "INSERT INTO dead_letters (id, event_id, event_type, consumer, attempts, last_error, failed_at) VALUES ($1, $2, 'chat.message_posted', 'test', 1, 'Error: test', $3)",
      [randomUUID(), removedEvent, t.clock.now()],
    );
    const keptEvent = (
      await t.app.db.query<{ id: string }>(
        "SELECT id FROM outbox WHERE type = 'chat.message_posted' AND payload #>> '{message,messageId}' = $1",
        [kept],
      )
    ).rows[0]!.id;
    await t.app.db.query(
      "INSERT INTO event_deliveries (consumer, event_id, status, attempts, updated_at) VALUES ('test', $1, 'processed', 1, $2)",
      [keptEvent, t.clock.now()],
    );

    // Day 2.5: a session ends (recently, at day 3). Day 3: a new message, and one deleted at once.
    t.clock.advance(2.5 * DAY);
    const recent = await signIn(t, 'client', u.email, u.password);
    expect(
      (await typedClient(t.baseUrl, recent.headers()).POST('/api/v1/client/auth/logout')).response
        .status,
    ).toBe(204);
    t.clock.advance(0.5 * DAY);
    const live = await signIn(t, 'client', u.email, u.password);
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
    await t.app.db.tx((tx) =>
      appendToOutbox(tx, { ...domainEvent('test.waiting', { n: 1 }, { at: day0 }), id: waiting }),
    );

    await housekeep();

    // Published day-0 rows are gone, with their delivery records; the one a dead letter needs stays.
    expect(await outboxCopies(kept)).toEqual([]);
    expect(await outboxCopies(edited)).toEqual([]);
    expect(
      (await t.app.db.query('SELECT 1 FROM event_deliveries WHERE event_id = $1', [keptEvent]))
        .rowCount,
    ).toBe(0);
    expect(
      (
        await t.app.db.query('SELECT 1 FROM outbox WHERE id = $1 AND published_at IS NULL', [
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
    const sessions = await t.app.db.query<{ created_at: Date }>(
      'SELECT created_at FROM sessions WHERE user_id = $1 ORDER BY created_at',
      [u.id],
    );
    expect(sessions.rows.map((r) => (r.created_at.getTime() - day0.getTime()) / DAY)).toEqual([
      2.5, 3,
    ]);
    expect(
      (await typedClient(t.baseUrl, live.headers()).GET('/api/v1/client/auth/me')).response.status,
    ).toBe(200);
    expect(
      (await typedClient(t.baseUrl, ended.headers()).GET('/api/v1/client/auth/me')).response.status,
    ).toBe(401);
    // Moderation texts are young (3 days of 10): kept.
    expect(await moderationTexts(edited)).toEqual([
      { action: 'edit', before: 'a message staff will edit', after: 'edited by staff' },
    ]);
    expect(await moderationTexts(removed)).toEqual([
      { action: 'delete', before: 'a message staff will delete', after: null },
    ]);

    // Day 11: the day-0 trail is past its 10 days and loses its texts; the day-3 entry keeps its own.
    t.clock.advance(8 * DAY);
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
    expect((await t.app.db.query('SELECT 1 FROM outbox WHERE id = $1', [waiting])).rowCount).toBe(
      1,
    );
  });
});
