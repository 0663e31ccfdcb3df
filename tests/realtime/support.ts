import { randomUUID } from 'node:crypto';
import type { WsHandlers } from '../../generated/v1/ws-events.js';
import { noSocketsFanout } from '../../server/compose.js';
import { createIdentityModule } from '../../server/modules/identity/index.js';
import type { Config } from '../../server/shared/config/config.js';
import { createDb, type Db } from '../../server/shared/db/db.js';
import { domainEvent } from '../../server/shared/events/domain-event.js';
import type { EventConsumer } from '../../server/shared/events/event-consumer.js';
import { appendToOutbox } from '../../server/shared/events/outbox.js';
import { createOutboxRelay, type OutboxRelay } from '../../server/shared/events/relay.js';
import { createHttpServer, type HttpServer } from '../../server/shared/http/server.js';
import {
  createOutbound,
  createPgFanout,
  createTopicHub,
  createWsServer,
  type PgFanout,
  type TopicHub,
  type WsContext,
  type WsLifecycle,
  type WsServer,
} from '../../server/shared/realtime/index.js';
import type { SessionPort } from '../../server/shared/security/session-port.js';
import type { TestApp } from '../support/app.js';

/**
 * A small stand-in for the chat module, only for these tests: it echoes, records what reached a
 * handler (to prove "no side effect"), and sends `chat.send` through the outbox so fan-out goes
 * across instances the real way. The real chat module replaces it in `server/main.ts`.
 */
/** The payload of the inbound `chat.send` the stand-in handles. */
interface ChatSend {
  conversationId: string;
  clientMessageId: string;
  body: string;
}

/** The payload of the stand-in's `test.chat_sent` outbox event. */
interface TestChatSent extends ChatSend {
  messageId: string;
  sender: { kind: 'user' | 'guest'; id: string; displayName: string };
  sentAt: string;
}

export function fakeChat(db: Db) {
  const handled: {
    channel: string;
    type: string;
    payload: unknown;
    actor: WsContext['connection']['actor'];
  }[] = [];
  const record =
    (channel: string, type: string) =>
    ({ payload, ctx }: { payload: unknown; ctx: WsContext }) => {
      handled.push({ channel, type, payload, actor: ctx.connection.actor });
    };
  async function send({
    payload,
    ctx,
    correlationId,
  }: {
    payload: ChatSend;
    ctx: WsContext;
    correlationId: string | undefined;
  }) {
    const channel = ctx.connection.channel;
    handled.push({ channel, type: 'chat.send', payload, actor: ctx.connection.actor });
    const actor = ctx.connection.actor!;
    const sender =
      actor.kind === 'user'
        ? { kind: 'user' as const, id: actor.userId, displayName: actor.displayName }
        : { kind: 'guest' as const, id: actor.guestId, displayName: 'Guest' };
    const messageId = randomUUID();
    const sentAt = ctx.now.toISOString();
    await db.tx(async (tx) => {
      await tx.query('INSERT INTO rt_test_messages (id, body) VALUES ($1, $2)', [
        messageId,
        payload.body,
      ]);
      await appendToOutbox(
        tx,
        domainEvent(
          'test.chat_sent',
          {
            messageId,
            conversationId: payload.conversationId,
            clientMessageId: payload.clientMessageId,
            body: payload.body,
            sender,
            sentAt,
          },
          { at: ctx.now, ...(correlationId ? { correlationId } : {}) },
        ),
      );
    });
    ctx.connection.send(
      'chat.message_accepted',
      {
        clientMessageId: payload.clientMessageId,
        messageId,
        conversationId: payload.conversationId,
        seq: 1,
        sentAt,
      },
      correlationId ? { correlationId } : undefined,
    );
  }
  const handlers: WsHandlers<WsContext> = {
    site: {
      'chat.visitor_message': record('site', 'chat.visitor_message'),
      'chat.visitor_typing': record('site', 'chat.visitor_typing'),
      'chat.resume': record('site', 'chat.resume'),
    },
    client: {
      'chat.send': send,
      'chat.typing': record('client', 'chat.typing'),
      'chat.read': record('client', 'chat.read'),
      'chat.delivered': record('client', 'chat.delivered'),
      'chat.resume': record('client', 'chat.resume'),
    },
    admin: {
      'chat.send': send,
      'chat.typing': record('admin', 'chat.typing'),
      'chat.read': record('admin', 'chat.read'),
      'chat.delivered': record('admin', 'chat.delivered'),
      'chat.resume': record('admin', 'chat.resume'),
    },
  };
  const lifecycle: WsLifecycle = {
    async onConnect(connection, query) {
      // `?noguest=1` leaves a site socket without a principal: it may send nothing (EVENT_FORBIDDEN).
      if (connection.channel === 'site' && query.get('noguest') !== '1')
        connection.setGuest(randomUUID());
      const conversation = query.get('conversation');
      if (conversation) connection.subscribe(`conversation:${conversation}`);
      const first = connection.actor;
      if (!first)
        return connection.send('session.welcome', {
          actor: { kind: 'system', id: 'none' },
          heartbeatSeconds: 20,
        });
      connection.send('session.welcome', {
        actor:
          first.kind === 'user'
            ? { kind: 'user', id: first.userId, role: first.role }
            : { kind: 'guest', id: first.guestId },
        heartbeatSeconds: 20,
        ...(first.kind === 'guest'
          ? {
              guest: {
                guestId: first.guestId,
                conversationId: randomUUID(),
                expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
                lastSeq: 0,
              },
            }
          : {}),
      });
    },
    onDisconnect() {},
  };
  return { handlers, lifecycle, handled };
}

export interface Instance {
  /** The WebSocket server (its `stats()`). */
  realtime: WsServer;
  hub: TopicHub;
  fanout: PgFanout;
  relay: OutboxRelay;
  http: HttpServer;
  db: Db;
  wsUrl: string;
  handled: ReturnType<typeof fakeChat>['handled'];
  /**
   * Session look-ups by this instance that found the session live: one per user upgrade, and one
   * per renewal of a socket's session by its activity. A renewal counted here has also been applied
   * to the socket: the socket's own callback on the look-up runs in the same microtask drain,
   * before any timer (such as `until`'s next check) sees the count.
   */
  sessionLookups(): number;
  close(): Promise<void>;
}

/**
 * One API instance's realtime side (WS server + relay + fan-out) on the test app's database. With
 * `ownPool`, it gets its own pool, like a second process would; it always has its own identity module.
 */
export async function startInstance(
  testApp: TestApp,
  options: {
    config?: Partial<Config>;
    ownPool?: boolean;
    consumers?: EventConsumer[];
    /** False: leave out identity's fan-out reaction (ended sessions then close no socket). */
    identityRealtime?: boolean;
    relay?: { maxAttempts?: number; backoffMs?: (count: number) => number; pollMs?: number };
  } = {},
): Promise<Instance> {
  const config: Config = Object.freeze({ ...testApp.app.config, ...options.config });
  const db = options.ownPool ? createDb(databaseUrlOf(testApp), { max: 5 }) : testApp.app.db;
  await db.query(
    'CREATE TABLE IF NOT EXISTS rt_test_messages (id uuid PRIMARY KEY, body text NOT NULL)',
  );
  const chat = fakeChat(db);
  const log = testApp.app.log;
  const hub = createTopicHub({
    outbound: createOutbound({ clock: testApp.clock, log, validate: true }),
  });
  const fanout = createPgFanout({ db, log, publisher: hub });
  // This instance's own identity module, as `composeModules` makes it: it registers its reaction
  // on the fan-out (ended sessions close their sockets), unless the test leaves it out.
  const identity = createIdentityModule({
    db,
    clock: testApp.clock,
    log,
    fanout: options.identityRealtime === false ? noSocketsFanout : fanout,
  });
  const sessions: SessionPort = identity.sessions;
  let liveLookups = 0;
  const realtime = createWsServer({
    config,
    log,
    clock: testApp.clock,
    hub,
    sessions: countingLiveLookups(sessions, () => (liveLookups += 1)),
    handlers: chat.handlers,
    lifecycle: chat.lifecycle,
  });
  fanout.onEvent(['test.chat_sent'], (event, out) => {
    const part = event.payload as unknown as TestChatSent;
    out.publish(`conversation:${part.conversationId}`, 'chat.message', {
      messageId: part.messageId,
      conversationId: part.conversationId,
      seq: 1,
      sender: part.sender,
      body: part.body,
      clientMessageId: part.clientMessageId,
      sentAt: part.sentAt,
      editedAt: null,
      deleted: false,
    });
  });
  const relay = createOutboxRelay({
    db,
    log: testApp.app.log,
    clock: testApp.clock,
    consumers: options.consumers ?? [],
    pollMs: options.relay?.pollMs ?? 200,
    ...options.relay,
  });
  const http = createHttpServer({
    handler: (_req, res) => res.writeHead(404).end(),
    log: testApp.app.log,
    production: false,
    onUpgrade: realtime.handleUpgrade,
  });
  const port = await http.listen(0, '127.0.0.1');
  await fanout.start();
  realtime.start();
  await relay.start();
  return {
    realtime,
    hub,
    fanout,
    relay,
    http,
    db,
    wsUrl: `ws://127.0.0.1:${port}`,
    handled: chat.handled,
    sessionLookups: () => liveLookups,
    async close() {
      await relay.close();
      await Promise.all([realtime.close(), fanout.close()]);
      await http.close(500);
      if (options.ownPool) await db.close();
    },
  };
}

/** The same sessions, calling `count` for each look-up that found its session live. */
function countingLiveLookups(sessions: SessionPort, count: () => void): SessionPort {
  return {
    resolve: (surface, token, now) =>
      sessions.resolve(surface, token, now).then((session) => {
        if (session) count();
        return session;
      }),
  };
}

export function databaseUrlOf(testApp: TestApp): string {
  return (testApp.app.db.pool as unknown as { options: { connectionString: string } }).options
    .connectionString;
}

// The socket side (test clients, frames, waiting) lives in its own module.
export * from './socket-support.js';
