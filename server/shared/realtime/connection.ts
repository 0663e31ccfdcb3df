import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import type { Problem } from '../http/problem.js';
import type { Logger } from '../logging/logger.js';
import type { RateLimiter } from '../security/rate-limiter.js';
import {
  wsProblem,
  type FrameDecision,
  type GuardedConnection,
  type SessionLease,
} from '../security/wsguard/index.js';
import type { Clock } from '../time/clock.js';
import { CLOSE } from './close-codes.js';
import type { FrameMeta } from './outbound.js';
import type { Topic, WsActor, WsChannel } from './realtime.port.js';
import type { HubSocket, TopicHub } from './topic-hub.js';

/** Frames queued for a connection's handlers before its socket stops being read. */
const MAX_QUEUED_FRAMES = 16;
/** A user socket that sends frames renews its session at most this often (activity, like a request). */
const LEASE_RENEW_MS = 60_000;
const VIOLATION_WINDOW_MS = 60_000;

/** An inbound frame WSGuard accepted. */
export type AcceptedFrame = Extract<FrameDecision, { ok: true }>['frame'];

/** Counters the connections of one server add to (its `stats()`). */
export interface ConnectionCounters {
  slowTerminated: number;
  deadTerminated: number;
  sessionExpiredClosed: number;
  violationClosed: number;
}

/**
 * What every connection of one server shares: one object per server, so an idle socket costs only
 * its own fields.
 */
export interface ConnectionHost {
  readonly clock: Clock;
  readonly log: Logger;
  readonly hub: TopicHub;
  /** Unsent bytes past which a socket is a slow reader and is terminated. */
  readonly maxBufferedBytes: number;
  /** Refused frames within a minute after which the socket is closed 1008. */
  readonly violationLimit: number;
  readonly counters: ConnectionCounters;
  /** WSGuard's checks of one inbound frame. */
  judge(conn: GuardedConnection, data: Buffer, isBinary: boolean): FrameDecision;
  /** Runs the channel's handler for an accepted frame. */
  route(conn: Connection, type: string, frame: AcceptedFrame): Promise<void>;
}

/**
 * One socket: what it is subscribed to, its outbound frames and the slow-reader cut, its inbound
 * frames run one at a time in order (the socket stops being read when they fall behind), the
 * violation count, its session lease and heartbeat.
 * @example
 * const conn = new Connection(host, ws, 'client', ip, actor, lease);
 * ws.on('message', (data, isBinary) => conn.onFrame(data, isBinary));
 */
export class Connection implements HubSocket, GuardedConnection {
  readonly id = randomUUID();
  actor: WsActor | null;
  limiter?: RateLimiter;
  readonly topics = new Set<Topic>();
  /** False after a ping until its pong: a peer still false at the next heartbeat is dead. */
  alive = true;
  private violations: number[] | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private childLog: Logger | null = null;
  private renewedAt: number;
  private renewing = false;

  constructor(
    private readonly host: ConnectionHost,
    readonly ws: WebSocket,
    readonly channel: WsChannel,
    readonly ip: string,
    actor: WsActor | null,
    /** The session behind a user socket; the socket closes 4001 when it runs out. */
    private readonly lease: SessionLease | null = null,
  ) {
    this.actor = actor;
    this.renewedAt = host.clock.nowMs();
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get log(): Logger {
    this.childLog ??= this.host.log.child({ connectionId: this.id, channel: this.channel });
    return this.childLog;
  }

  setGuest(guestId: string): void {
    if (this.channel !== 'site') throw new Error('only site sockets have guest principals');
    this.actor = { kind: 'guest', guestId };
  }

  subscribe(topic: Topic): void {
    if (this.topics.has(topic)) return;
    this.topics.add(topic);
    this.host.hub.add(topic, this);
  }

  unsubscribe(topic: Topic): void {
    if (!this.topics.delete(topic)) return;
    this.host.hub.remove(topic, this);
  }

  /** Leaves every topic (the socket closed). */
  unsubscribeAll(): void {
    for (const topic of this.topics) this.host.hub.remove(topic, this);
    this.topics.clear();
  }

  send(type: string, payload: object, meta?: FrameMeta): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const { outbound } = this.host.hub;
    const env = outbound.envelope(type, payload, meta);
    if (outbound.validating) outbound.check(this.channel, env);
    this.ws.send(JSON.stringify(env));
    this.afterWrite();
  }

  sendProblem(problem: Problem, correlationId: string | undefined): void {
    this.send('system.error', problem, correlationId ? { correlationId } : undefined);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason.slice(0, 120));
  }

  /** Terminates the socket once its unsent bytes pass the limit: a slow or paused reader. */
  afterWrite(): void {
    const { ws } = this;
    if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount <= this.host.maxBufferedBytes) return;
    this.host.counters.slowTerminated++;
    this.log.warn({ bufferedAmount: ws.bufferedAmount }, 'slow websocket consumer terminated');
    ws.terminate();
  }

  /** One heartbeat: closes an expired session's socket, cuts a peer that missed a pong, pings. */
  beat(nowMs: number): void {
    if (this.closeIfSessionExpired(nowMs)) return;
    if (!this.alive) {
      this.host.counters.deadTerminated++;
      this.ws.terminate();
      return;
    }
    this.alive = false;
    try {
      this.ws.ping();
    } catch {
      this.ws.terminate();
    }
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
    this.host.counters.sessionExpiredClosed++;
    this.close(CLOSE.SESSION_ENDED, 'session ended: expired');
    return true;
  }

  onFrame(data: Buffer, isBinary: boolean): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.closeIfSessionExpired(this.host.clock.nowMs())) return;
    const dataItem = this.host.judge(this, data, isBinary);
    if (!dataItem.ok) {
      this.sendProblem(
        wsProblem(dataItem.code, {
          detail: dataItem.detail,
          ...(dataItem.errors ? { errors: dataItem.errors } : {}),
          ...(dataItem.retryAfterSeconds !== undefined
            ? { retryAfterSeconds: dataItem.retryAfterSeconds }
            : {}),
        }),
        dataItem.correlationId,
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
      .then(() =>
        this.open ? this.host.route(this, dataItem.spec.type, dataItem.frame) : undefined,
      )
      .finally(() => {
        this.queued--;
        if (this.queued <= MAX_QUEUED_FRAMES / 2 && this.ws.isPaused) this.ws.resume();
      });
  }

  /** Counts a violation; past the limit within a minute the socket is closed 1008. */
  private violation(): void {
    const now = this.host.clock.nowMs();
    this.violations = (this.violations ?? []).filter((time) => now - time < VIOLATION_WINDOW_MS);
    this.violations.push(now);
    if (this.violations.length < this.host.violationLimit || this.ws.readyState !== WebSocket.OPEN)
      return;
    this.host.counters.violationClosed++;
    this.log.warn(
      { violations: this.violations.length },
      'websocket closed for repeated violations',
    );
    this.close(CLOSE.POLICY, 'too many invalid or limited frames');
  }

  /** A frame is activity: now and then, move the session's idle expiry on, or close if it has ended. */
  private renewLease(): void {
    const lease = this.lease;
    const now = this.host.clock.nowMs();
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
}
