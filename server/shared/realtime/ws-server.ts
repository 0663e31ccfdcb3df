import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import {
  wsChannels,
  type WsHandlers,
  type WsOutboundSpec,
} from '../../../generated/v1/ws-events.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { EventActor } from '../events/domain-event.js';
import { toProblem, type Problem } from '../http/problem.js';
import type { Logger } from '../logging/logger.js';
import type { RateLimiter } from '../security/rate-limiter.js';
import type { SessionPort } from '../security/session-port.js';
import {
  createWsGuard,
  refuseUpgrade,
  wsProblem,
  type GuardedConnection,
  type SessionLease,
  type WsGuard,
} from '../security/wsguard/index.js';
import type { Clock } from '../time/clock.js';
import { createPgFanout, type PgFanout } from './fanout.pg.js';
import { createFrameWriter, prebuildFrame } from './prebuilt-frame.js';
import type {
  RealtimeFanout,
  RealtimePublisher,
  Topic,
  WsActor,
  WsChannel,
  WsConnection,
  WsContext,
  WsLifecycle,
} from './realtime.port.js';

/** Close codes this server uses. */
export const CLOSE = {
  /** Policy violation: repeated bad frames, too many fragments. */
  POLICY: 1008,
  TOO_BIG: 1009,
  INTERNAL: 1011,
  GOING_AWAY: 1001,
  /** The session behind the socket ended (logout, password change, disabled account). */
  SESSION_ENDED: 4001,
} as const;

const SESSIONS_ENDED = 'identity.sessions_ended';
const SYSTEM_ACTOR: EventActor = { kind: 'system', id: 'api' };
/** Frames queued for a connection's handlers before its socket stops being read. */
const MAX_QUEUED_FRAMES = 16;
/** A user socket that sends frames renews its session at most this often (activity, like a request). */
const LEASE_RENEW_MS = 60_000;

export interface RealtimeOptions {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Db;
  sessions: SessionPort;
  handlers: WsHandlers<WsContext>;
  lifecycle: WsLifecycle;
  /** Validate outbound frames against the contract (default: outside production). */
  validateOutbound?: boolean;
}

export interface RealtimeStats {
  connections: number;
  /** Outbound frames that broke the contract (tests assert 0). */
  outboundInvalid: number;
  /** Sockets terminated for passing the buffered-bytes limit. */
  slowTerminated: number;
  /** Sockets terminated for missing a pong. */
  deadTerminated: number;
  /** User sockets closed 4001 because their session expired (idle or absolute). */
  sessionExpiredClosed: number;
  /** Sockets closed 1008 for repeated violations. */
  violationClosed: number;
}

export interface Realtime {
  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly fanout: RealtimeFanout;
  readonly publisher: RealtimePublisher;
  /** LISTEN for fan-out and broadcasts, start the heartbeat. */
  start(): Promise<void>;
  /** Close every socket (1001), stop listening. */
  close(): Promise<void>;
  stats(): RealtimeStats;
}

type Meta = { correlationId?: string; actor?: EventActor };

interface Envelope {
  id: string;
  type: string;
  occurredAt: string;
  schemaVersion: 1;
  payload: object;
  metadata: { correlationId?: string; actor: EventActor };
}

/**
 * The WebSocket server: `ws` in noServer mode on the HTTP server's port, WSGuard before the 101
 * and on every frame, the typed router from the generated event table, topic publishing with each
 * frame serialized and framed once, heartbeats, backpressure, and session-end closes.
 * @example
 * const realtime = createRealtime({ config, log, clock, db, sessions: identity.sessions, handlers, lifecycle });
 * createHttpServer({ handler, log, production, onUpgrade: realtime.handleUpgrade });
 * await realtime.start();
 */
export function createRealtime(options: RealtimeOptions): Realtime {
  const { config, log, clock, db, handlers, lifecycle } = options;
  const production = config.env === 'production';
  const validateOutbound = options.validateOutbound ?? !production;
  const guard: WsGuard = createWsGuard({ config, clock, sessions: options.sessions });
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
    // ws >= 8.21: a message split into more fragments than this is refused (1008).
    maxFragments: 64,
  } as ConstructorParameters<typeof WebSocketServer>[0]);
  const connections = new Set<Connection>();
  const topics = new Map<Topic, Set<Connection>>();
  const stats: RealtimeStats = {
    connections: 0,
    outboundInvalid: 0,
    slowTerminated: 0,
    deadTerminated: 0,
    sessionExpiredClosed: 0,
    violationClosed: 0,
  };
  let heartbeat: NodeJS.Timeout | null = null;
  let closing = false;
  const writer = createFrameWriter();

  function envelope(type: string, payload: object, meta: Meta | undefined): Envelope {
    const metadata: Envelope['metadata'] = { actor: meta?.actor ?? SYSTEM_ACTOR };
    if (meta?.correlationId) metadata.correlationId = meta.correlationId;
    return {
      id: randomUUID(),
      type,
      occurredAt: clock.now().toISOString(),
      schemaVersion: 1,
      payload,
      metadata,
    };
  }

  function checkOutbound(channel: WsChannel, env: Envelope): void {
    const spec = (wsChannels[channel].outbound as Record<string, WsOutboundSpec>)[env.type];
    if (spec && spec.validate(env)) return;
    stats.outboundInvalid++;
    log.error(
      {
        channel,
        type: env.type,
        errors: spec
          ? spec.validate.errors?.slice(0, 5)
          : 'not an outbound message of this channel',
      },
      'OUTBOUND FRAME BREAKS THE CONTRACT',
    );
  }

  /** Terminates a socket whose unsent bytes passed the limit: a slow or paused reader. */
  function checkBackpressure(conn: Connection): void {
    if (
      conn.ws.readyState === WebSocket.OPEN &&
      conn.ws.bufferedAmount > config.wsMaxBufferedBytes
    ) {
      stats.slowTerminated++;
      log.warn(
        { connectionId: conn.id, channel: conn.channel, bufferedAmount: conn.ws.bufferedAmount },
        'slow websocket consumer terminated',
      );
      conn.ws.terminate();
    }
  }

  class Connection implements WsConnection, GuardedConnection {
    readonly id = randomUUID();
    actor: WsActor | null;
    limiter?: RateLimiter;
    readonly topics = new Set<Topic>();
    alive = true;
    private violations: number[] | null = null;
    private queue: Promise<void> = Promise.resolve();
    private queued = 0;
    private childLog: Logger | null = null;
    private renewedAt: number;
    private renewing = false;

    constructor(
      readonly ws: WebSocket,
      readonly channel: WsChannel,
      readonly ip: string,
      actor: WsActor | null,
      /** The session behind a user socket; the socket closes 4001 when it runs out. */
      private readonly lease: SessionLease | null = null,
    ) {
      this.actor = actor;
      this.renewedAt = clock.nowMs();
    }

    /** True when the session's idle or absolute expiry has passed (then the socket is closed 4001). */
    closeIfSessionExpired(nowMs: number): boolean {
      const lease = this.lease;
      if (
        !lease ||
        (nowMs < lease.idleExpiresAt.getTime() && nowMs < lease.absoluteExpiresAt.getTime())
      )
        return false;
      if (this.ws.readyState !== WebSocket.OPEN) return true;
      stats.sessionExpiredClosed++;
      this.close(CLOSE.SESSION_ENDED, 'session ended: expired');
      return true;
    }

    /** A frame is activity: now and then, move the session's idle expiry on, or close if it has ended. */
    private renewLease(): void {
      const lease = this.lease;
      const now = clock.nowMs();
      if (!lease || this.renewing || now - this.renewedAt < LEASE_RENEW_MS) return;
      this.renewing = true;
      this.renewedAt = now;
      lease.renew(new Date(now)).then(
        (session) => {
          this.renewing = false;
          if (!session) {
            this.close(CLOSE.SESSION_ENDED, 'session ended: expired');
            return;
          }
          lease.idleExpiresAt = session.idleExpiresAt;
          lease.absoluteExpiresAt = session.absoluteExpiresAt;
        },
        (err: unknown) => {
          // The database is away: keep the socket; the next frame or heartbeat tries again.
          this.renewing = false;
          this.renewedAt = 0;
          this.log.warn({ err }, 'could not renew the session of a websocket');
        },
      );
    }

    get open(): boolean {
      return this.ws.readyState === WebSocket.OPEN;
    }
    get log(): Logger {
      this.childLog ??= log.child({ connectionId: this.id, channel: this.channel });
      return this.childLog;
    }

    setGuest(guestId: string): void {
      if (this.channel !== 'site') throw new Error('only site sockets have guest principals');
      this.actor = { kind: 'guest', guestId };
    }

    subscribe(topic: Topic): void {
      if (this.topics.has(topic)) return;
      this.topics.add(topic);
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(this);
    }

    unsubscribe(topic: Topic): void {
      if (!this.topics.delete(topic)) return;
      const set = topics.get(topic);
      set?.delete(this);
      if (set?.size === 0) topics.delete(topic);
    }

    send(type: string, payload: object, meta?: Meta): void {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const env = envelope(type, payload, meta);
      if (validateOutbound) checkOutbound(this.channel, env);
      this.ws.send(JSON.stringify(env));
      checkBackpressure(this);
    }

    close(code: number, reason: string): void {
      this.ws.close(code, reason.slice(0, 120));
    }

    sendProblem(problem: Problem, correlationId: string | undefined): void {
      this.send('system.error', problem, correlationId ? { correlationId } : undefined);
    }

    /** Counts a violation; past the limit within a minute the socket is closed 1008. */
    violation(): void {
      const now = clock.nowMs();
      this.violations = (this.violations ?? []).filter((t) => now - t < 60_000);
      this.violations.push(now);
      if (
        this.violations.length >= config.wsViolationLimit &&
        this.ws.readyState === WebSocket.OPEN
      ) {
        stats.violationClosed++;
        this.log.warn(
          { violations: this.violations.length },
          'websocket closed for repeated violations',
        );
        this.close(CLOSE.POLICY, 'too many invalid or limited frames');
      }
    }

    onFrame(data: Buffer, isBinary: boolean): void {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      if (this.closeIfSessionExpired(clock.nowMs())) return;
      const d = guard.frame(this, data, isBinary);
      if (!d.ok) {
        this.sendProblem(
          wsProblem(d.code, {
            detail: d.detail,
            ...(d.errors ? { errors: d.errors } : {}),
            ...(d.retryAfterSeconds !== undefined
              ? { retryAfterSeconds: d.retryAfterSeconds }
              : {}),
          }),
          d.correlationId,
        );
        this.violation();
        return;
      }
      // Only an accepted frame counts as activity.
      this.renewLease();
      // Frames of one socket run in order; a socket whose handlers fall behind stops being read.
      this.queued++;
      if (this.queued > MAX_QUEUED_FRAMES) this.ws.pause();
      this.queue = this.queue
        .then(() => this.dispatch(d.spec.type, d.frame))
        .finally(() => {
          this.queued--;
          if (this.queued <= MAX_QUEUED_FRAMES / 2 && this.ws.isPaused) this.ws.resume();
        });
    }

    private async dispatch(
      type: string,
      frame: { id: string; payload: object; metadata?: { correlationId?: string } },
    ): Promise<void> {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const requestId = `ws_${randomUUID()}`;
      const correlationId = frame.metadata?.correlationId;
      const handler = (
        handlers[this.channel] as Record<
          string,
          (input: {
            payload: unknown;
            frameId: string;
            correlationId: string | undefined;
            ctx: WsContext;
          }) => Promise<void> | void
        >
      )[type];
      const ctx: WsContext = { connection: this, requestId, now: clock.now(), log: this.log };
      try {
        if (!handler) throw new Error(`no handler for ${this.channel} ${type}`);
        await handler({ payload: frame.payload, frameId: frame.id, correlationId, ctx });
      } catch (err) {
        const { body, status } = toProblem(err, requestId);
        if (status >= 500) this.log.error({ err, type, requestId }, 'websocket handler failed');
        this.sendProblem(body, correlationId ?? frame.id);
      }
    }
  }

  function onOpen(
    ws: WebSocket,
    req: IncomingMessage,
    channel: WsChannel,
    ip: string,
    actor: WsActor | null,
    lease: SessionLease | null,
    release: () => void,
  ): void {
    const conn = new Connection(ws, channel, ip, actor, lease);
    connections.add(conn);
    stats.connections = connections.size;
    if (actor?.kind === 'user') conn.subscribe(`session:${actor.sessionId}`);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (err) => conn.log.debug({ err }, 'websocket error'));
    ws.on('close', () => {
      release();
      connections.delete(conn);
      stats.connections = connections.size;
      for (const t of [...conn.topics]) conn.unsubscribe(t);
      try {
        lifecycle.onDisconnect(conn);
      } catch (err) {
        conn.log.error({ err }, 'websocket onDisconnect failed');
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => conn.onFrame(data, isBinary));
    // No inbound frame is read before the lifecycle subscribed the socket and sent its welcome.
    ws.pause();
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    Promise.resolve()
      // The parent logger here: a child logger per idle socket would cost more than the socket.
      .then(() => lifecycle.onConnect(conn, query, { now: clock.now(), log }))
      .then(
        () => {
          if (ws.readyState === WebSocket.OPEN) ws.resume();
        },
        (err: unknown) => {
          conn.log.error({ err }, 'websocket onConnect failed');
          conn.close(CLOSE.INTERNAL, 'could not start the session');
        },
      );
  }

  const publisher: RealtimePublisher & {
    publish(topic: Topic, type: string, payload: object, meta?: Meta): void;
  } = {
    publish(topic, type, payload, meta) {
      const set = topics.get(topic);
      if (!set || set.size === 0) return;
      const env = envelope(type, payload, meta);
      if (validateOutbound) {
        const seen = new Set<WsChannel>();
        for (const c of set)
          if (!seen.has(c.channel)) (seen.add(c.channel), checkOutbound(c.channel, env));
      }
      const frame = prebuildFrame(JSON.stringify(env));
      writer.message();
      for (const conn of [...set]) {
        writer.write(conn.ws, frame);
        checkBackpressure(conn);
      }
    },
    subscribers: (topic) => [...(topics.get(topic) ?? [])],
  };

  const fanout: PgFanout = createPgFanout({
    db,
    log,
    publisher,
    listenHealthCheckMs: config.dbListenHealthCheckMs,
  });
  fanout.onEvent([SESSIONS_ENDED], (event) => {
    const p = event.payload as { sessionIds?: unknown; reason?: unknown };
    const ids = Array.isArray(p.sessionIds) ? p.sessionIds : [];
    for (const sid of ids) {
      for (const conn of [...(topics.get(`session:${String(sid)}`) ?? [])])
        conn.close(CLOSE.SESSION_ENDED, `session ended: ${String(p.reason ?? 'ended')}`);
    }
  });

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    if (closing) {
      refuseUpgrade(
        socket,
        wsProblem('SERVICE.UNAVAILABLE', { detail: 'The server is shutting down.' }),
        production,
      );
      return;
    }
    guard.upgrade(req).then(
      (d) => {
        if (!d.ok) {
          refuseUpgrade(
            socket,
            wsProblem(d.code, {
              detail: d.detail,
              ...(d.retryAfterSeconds !== undefined
                ? { retryAfterSeconds: d.retryAfterSeconds }
                : {}),
            }),
            production,
            d.retryAfterSeconds !== undefined ? { 'retry-after': String(d.retryAfterSeconds) } : {},
          );
          return;
        }
        // The slot is released when the TCP socket closes, whether ws completes the handshake or refuses it.
        socket.once('close', d.release);
        if (socket.destroyed) {
          d.release();
          return;
        }
        socket.off('error', onSocketError);
        wss.handleUpgrade(req, socket, head, (ws) =>
          onOpen(ws, req, d.channel, d.ip, d.actor, d.lease, d.release),
        );
      },
      (err: unknown) => {
        log.error({ err }, 'websocket upgrade failed');
        refuseUpgrade(socket, wsProblem('SERVICE.UNAVAILABLE'), production);
      },
    );
  }

  return {
    handleUpgrade,
    fanout,
    publisher,
    async start() {
      await fanout.start();
      heartbeat = setInterval(() => {
        const now = clock.nowMs();
        try {
          lifecycle.onHeartbeat?.(new Date(now));
        } catch (err) {
          log.error({ err }, 'websocket onHeartbeat failed');
        }
        for (const conn of connections) {
          if (conn.closeIfSessionExpired(now)) continue;
          if (!conn.alive) {
            stats.deadTerminated++;
            conn.ws.terminate();
            continue;
          }
          conn.alive = false;
          try {
            conn.ws.ping();
          } catch {
            conn.ws.terminate();
          }
        }
      }, config.wsHeartbeatMs);
      heartbeat.unref();
    },
    async close() {
      closing = true;
      if (heartbeat) clearInterval(heartbeat);
      for (const conn of connections) conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      await fanout.close();
      // Peers that do not answer the close handshake are cut after a moment.
      await new Promise((r) => setTimeout(r, connections.size ? 200 : 0));
      for (const conn of connections) conn.ws.terminate();
      wss.close();
    },
    stats: () => ({ ...stats, connections: connections.size }),
  };
}
