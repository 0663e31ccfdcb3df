import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
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
import type { components } from '../../generated/v1/types.js';
import type { OutboundFrame } from '../../generated/v1/ws-types.js';
import { ORIGINS, type TestApp } from '../support/app.js';
import type { OutboundPayload, OutboundType } from '../support/ws-frames.js';

type Problem = components['schemas']['Problem'];

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
  const realtime = createWsServer({
    config,
    log,
    clock: testApp.clock,
    hub,
    sessions,
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
    async close() {
      await relay.close();
      await Promise.all([realtime.close(), fanout.close()]);
      await http.close(500);
      if (options.ownPool) await db.close();
    },
  };
}

export function databaseUrlOf(testApp: TestApp): string {
  return (testApp.app.db.pool as unknown as { options: { connectionString: string } }).options
    .connectionString;
}

/** A frame as received; `Client.next(type)` gives it the generated payload type of `type`. */
export interface ReceivedFrame {
  id: string;
  type: string;
  occurredAt: string;
  schemaVersion: number;
  payload: unknown;
  metadata?: { correlationId?: string };
}

/** A received frame of one outbound type, with that type's generated payload. */
export type FrameOf<Type extends OutboundType> = OutboundFrame<Type, OutboundPayload<Type>>;

/** The frames of one outbound type a client has received so far, typed by its generated payload. */
export function framesOf<Type extends OutboundType>(
  client: { frames: ReceivedFrame[] },
  type: Type,
): FrameOf<Type>[] {
  // Each frame's type names its payload; the server validates outbound frames against the contract.
  return client.frames.filter((frame) => frame.type === type) as FrameOf<Type>[];
}

/** A test client that keeps every frame it receives. */
export interface Client {
  ws: WebSocket;
  frames: ReceivedFrame[];
  closed: Promise<{ code: number; reason: string; at: number }>;
  /** The next frame of `type` not taken before, typed by the generated payload of `type`. */
  next<Type extends OutboundType>(type: Type, timeoutMs?: number): Promise<FrameOf<Type>>;
  /** The next frame not taken before. */
  next(): Promise<ReceivedFrame>;
  send(frame: unknown): void;
}

export function connect(
  url: string,
  path: string,
  headers: Record<string, string>,
  query = '',
  options: { localAddress?: string } = {},
): Promise<Client> {
  const ws = new WebSocket(`${url}${path}${query}`, {
    headers,
    perMessageDeflate: false,
    ...options,
  });
  const frames: ReceivedFrame[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const waiter of waiters.splice(0)) waiter();
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
  );
  ws.on('error', () => undefined);
  const client: Client = {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: ((type?: string, timeoutMs = 3_000) =>
      new Promise<ReceivedFrame>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${type ?? 'frame'} within ${timeoutMs} ms; got ${JSON.stringify(frames.map((frame) => frame.type))}`,
              ),
            ),
          timeoutMs,
        );
        const look = () => {
          for (let index = taken; index < frames.length; index++) {
            if (!type || frames[index]!.type === type) {
              taken = index + 1;
              clearTimeout(timer);
              resolve(frames[index]!);
              return;
            }
          }
          waiters.push(look);
        };
        look();
      })) as Client['next'],
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) =>
      reject(
        Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }),
      ),
    );
    ws.once('error', reject);
  });
}

/** Opens a socket and waits for the server's welcome frame. */
export async function connectReady(
  url: string,
  channel: 'site' | 'client' | 'admin',
  cookie?: string,
  query = '',
): Promise<Client> {
  const client = await connect(
    url,
    `/ws/v1/${channel}`,
    { origin: ORIGINS[channel], ...(cookie ? { cookie } : {}) },
    query,
  );
  await client.next('session.welcome');
  return client;
}

/** The HTTP status, headers and body of a refused upgrade (no 101); `localAddress` picks the client's address. */
export function refusedUpgrade(
  url: string,
  path: string,
  headers: Record<string, string>,
  options: { localAddress?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Problem | null }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${path}`, { headers, perMessageDeflate: false, ...options });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted (101)'));
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (code: Buffer) => (text += code.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? (JSON.parse(text) as Problem) : null,
        }),
      );
    });
    ws.on('error', () => undefined);
  });
}

let countItem = 0;
/** An inbound envelope. */
export function frame(type: string, payload: unknown, extra: Record<string, unknown> = {}) {
  countItem += 1;
  return {
    id: `f-${countItem}-${randomUUID().slice(0, 8)}`,
    type,
    schemaVersion: 1,
    payload,
    ...extra,
  };
}

export const sleep = (ms: number) => new Promise((result) => setTimeout(result, ms));

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 3_000,
  stepMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(stepMs);
  }
  throw new Error('condition not met in time');
}
