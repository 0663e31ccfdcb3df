import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { WsHandlers } from '../../../generated/v1/ws-events.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { SessionPort } from '../security/session-port.js';
import {
  createWsGuard,
  refuseUpgrade,
  wsProblem,
  type UpgradeDecision,
  type WsGuard,
} from '../security/wsguard/index.js';
import type { Clock } from '../time/clock.js';
import { CLOSE } from './close-codes.js';
import { Connection, type ConnectionCounters, type ConnectionHost } from './connection.js';
import { createFrameRouter } from './frame-router.js';
import type { WsContext, WsLifecycle } from './realtime.port.js';
import { sessionTopic, type TopicHub } from './topic-hub.js';

/** Peers that do not answer the close handshake at shutdown are cut after this long. */
const CLOSE_GRACE_MS = 200;

export interface WsServerOptions {
  config: Config;
  log: Logger;
  clock: Clock;
  /** Where the sockets subscribe; made before the modules, which publish through it. */
  hub: TopicHub;
  /** Resolves the session cookie of a client or admin upgrade (identity's). */
  sessions: SessionPort;
  /** The router table: one typed handler per inbound message of each channel. */
  handlers: WsHandlers<WsContext>;
  lifecycle: WsLifecycle;
}

export interface RealtimeStats extends ConnectionCounters {
  connections: number;
  /** Outbound frames that broke the contract (tests assert 0). */
  outboundInvalid: number;
}

export interface WsServer {
  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Starts the heartbeat (pings, dead peers, expired sessions). */
  start(): void;
  /** Refuses new upgrades, closes every socket (1001) and cuts those that do not answer. */
  close(): Promise<void>;
  stats(): RealtimeStats;
}

type Accepted = Extract<UpgradeDecision, { ok: true }>;

/** One server's state, shared by the functions below (one object per server, not per socket). */
interface ServerState {
  readonly log: Logger;
  readonly clock: Clock;
  readonly production: boolean;
  readonly lifecycle: WsLifecycle;
  readonly guard: WsGuard;
  readonly wss: WebSocketServer;
  readonly host: ConnectionHost;
  readonly connections: Set<Connection>;
  closing: boolean;
}

/**
 * The WebSocket server: `ws` in noServer mode on the HTTP server's port, WSGuard before the 101
 * and on every frame, frames routed to the typed handlers, sockets subscribed through the topic
 * hub, heartbeats.
 * @example
 * const hub = createTopicHub({ outbound: createOutbound({ clock, log, validate: true }) });
 * const ws = createWsServer({ config, log, clock, hub, sessions: identity.sessions, handlers, lifecycle });
 * createHttpServer({ handler, log, production, onUpgrade: ws.handleUpgrade });
 * ws.start();
 */
export function createWsServer(options: WsServerOptions): WsServer {
  const { config, log, clock, hub, lifecycle } = options;
  const guard = createWsGuard({ config, clock, sessions: options.sessions });
  const counters: ConnectionCounters = {
    slowTerminated: 0,
    deadTerminated: 0,
    sessionExpiredClosed: 0,
    violationClosed: 0,
  };
  const state: ServerState = {
    log,
    clock,
    production: config.env === 'production',
    lifecycle,
    guard,
    wss: new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: 64 * 1024,
      // ws >= 8.21: a message split into more fragments than this is refused (1008).
      maxFragments: 64,
    } as ConstructorParameters<typeof WebSocketServer>[0]),
    host: {
      clock,
      log,
      hub,
      maxBufferedBytes: config.wsMaxBufferedBytes,
      violationLimit: config.wsViolationLimit,
      counters,
      judge: (conn, data, isBinary) => guard.frame(conn, data, isBinary),
      route: createFrameRouter(options.handlers, clock),
    },
    connections: new Set(),
    closing: false,
  };
  let heartbeat: NodeJS.Timeout | null = null;
  return {
    handleUpgrade: (req, socket, head) => handleUpgrade(state, req, socket, head),
    start() {
      heartbeat ??= setInterval(() => beat(state), config.wsHeartbeatMs);
      heartbeat.unref();
    },
    async close() {
      state.closing = true;
      if (heartbeat) clearInterval(heartbeat);
      const { connections } = state;
      for (const conn of connections) conn.close(CLOSE.GOING_AWAY, 'server shutting down');
      if (connections.size) await new Promise((result) => setTimeout(result, CLOSE_GRACE_MS));
      for (const conn of connections) conn.ws.terminate();
      state.wss.close();
    },
    stats: () => ({
      ...counters,
      connections: state.connections.size,
      outboundInvalid: hub.outbound.invalid(),
    }),
  };
}

function handleUpgrade(
  serverState: ServerState,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const onSocketError = () => socket.destroy();
  socket.on('error', onSocketError);
  if (serverState.closing) {
    const problem = wsProblem('SERVICE.UNAVAILABLE', { detail: 'The server is shutting down.' });
    refuseUpgrade(socket, problem, serverState.production);
    return;
  }
  serverState.guard.upgrade(req).then(
    (data) => {
      if (!data.ok) return refuse(socket, data, serverState.production);
      // The slot is released when the TCP socket closes, whether ws completes the handshake or refuses it.
      socket.once('close', data.release);
      if (socket.destroyed) return data.release();
      socket.off('error', onSocketError);
      serverState.wss.handleUpgrade(req, socket, head, (ws) => open(serverState, ws, req, data));
    },
    (err: unknown) => {
      serverState.log.error({ err }, 'websocket upgrade failed');
      refuseUpgrade(socket, wsProblem('SERVICE.UNAVAILABLE'), serverState.production);
    },
  );
}

function open(
  serverState: ServerState,
  ws: WebSocket,
  req: IncomingMessage,
  dataItem: Accepted,
): void {
  const conn = new Connection(
    serverState.host,
    ws,
    dataItem.channel,
    dataItem.ip,
    dataItem.actor,
    dataItem.lease,
  );
  // The closures below keep only what they use: not the decision, which would cost every idle socket.
  const { release } = dataItem;
  serverState.connections.add(conn);
  if (dataItem.actor) conn.subscribe(sessionTopic(dataItem.actor.sessionId));
  ws.on('pong', () => {
    conn.alive = true;
  });
  ws.on('error', (err) => conn.log.debug({ err }, 'websocket error'));
  ws.on('close', () => {
    release();
    serverState.connections.delete(conn);
    conn.unsubscribeAll();
    try {
      serverState.lifecycle.onDisconnect(conn);
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
    .then(() =>
      serverState.lifecycle.onConnect(conn, query, {
        now: serverState.clock.now(),
        log: serverState.log,
      }),
    )
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

/** Each heartbeat: the lifecycle's tick, then every socket's (expiry, dead peer, ping). */
function beat(serverState: ServerState): void {
  const now = serverState.clock.nowMs();
  try {
    serverState.lifecycle.onHeartbeat?.(new Date(now));
  } catch (err) {
    serverState.log.error({ err }, 'websocket onHeartbeat failed');
  }
  for (const conn of serverState.connections) conn.beat(now);
}

/** Answers a refused upgrade with its problem (and Retry-After when limited), no 101. */
function refuse(
  socket: Duplex,
  data: Extract<UpgradeDecision, { ok: false }>,
  production: boolean,
) {
  const retry = data.retryAfterSeconds;
  refuseUpgrade(
    socket,
    wsProblem(data.code, {
      detail: data.detail,
      ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
    }),
    production,
    retry !== undefined ? { 'retry-after': String(retry) } : {},
  );
}
