import type { DomainEvent } from '../events/domain-event.js';
import type { Logger } from '../logging/logger.js';
import type { WsActor, WsChannel } from '../security/wsguard/ws-actor.js';

export type { WsActor, WsChannel };

/**
 * Topics a socket can be subscribed to. Conventions: `conversation:<id>`, `user:<id>`,
 * `guest:<id>`, `session:<id>` (every socket of a session; used to close them), `staff` (every
 * admin-channel socket).
 */
export type Topic = string;

/** One connected socket, as use-cases see it. */
export interface WsConnection {
  readonly id: string;
  readonly channel: WsChannel;
  readonly ip: string;
  /** Set by WSGuard for client/admin; set by the site lifecycle (`setGuest`) for guests. */
  readonly actor: WsActor | null;
  /** False once the socket is closing or closed: work done only for it can stop. */
  readonly open: boolean;
  setGuest(guestId: string): void;
  subscribe(topic: Topic): void;
  unsubscribe(topic: Topic): void;
  /** Sends one frame (the envelope is added) to this socket only. */
  send(type: string, payload: object, meta?: { correlationId?: string }): void;
  close(code: number, reason: string): void;
}

/** What a WS handler receives besides its validated payload. */
export interface WsContext {
  readonly connection: WsConnection;
  readonly requestId: string;
  readonly now: Date;
  readonly log: Logger;
}

/**
 * Sends frames to sockets on THIS instance. A frame for a topic is serialized and framed once,
 * then written to every subscribed socket (slow sockets past the buffer limit are dropped).
 */
export interface RealtimePublisher {
  publish(topic: Topic, type: string, payload: object, meta?: { correlationId?: string }): void;
  /** This instance's sockets subscribed to `topic` now (to re-check who may still receive it). */
  subscribers(topic: Topic): readonly WsConnection[];
  /**
   * Closes this instance's sockets opened with the session `sessionId` (close code 4001,
   * `session ended: <reason>`). The module that ends sessions calls it from its own fan-out handler.
   */
  closeSessionSockets(sessionId: string, reason: string): void;
}

/**
 * Cross-instance delivery. `onEvent` handlers run on EVERY instance for each committed outbox event
 * of their types (after the relay processed it), so each instance delivers to its own sockets.
 * `broadcast` sends an ephemeral frame (typing, presence) through Postgres NOTIFY to every instance,
 * without the outbox: it may be lost, and that is fine for ephemeral state.
 */
export interface RealtimeFanout {
  onEvent(
    types: readonly string[],
    handler: (event: DomainEvent, out: RealtimePublisher) => void | Promise<void>,
  ): void;
  broadcast(topic: Topic, type: string, payload: object): Promise<void>;
}

/** Hooks a module gives the WS server for connection start and end. */
export interface WsLifecycle {
  /**
   * Runs after WSGuard accepted the upgrade and before any inbound frame is read. Subscribes the
   * socket to its topics and sends `session.welcome`. On the site channel it resumes the guest of
   * `?guest=<id>` or starts a new one (stored on its first message) and calls `connection.setGuest`.
   */
  onConnect(
    connection: WsConnection,
    query: URLSearchParams,
    ctx: { now: Date; log: Logger },
  ): Promise<void>;
  onDisconnect(connection: WsConnection): void;
  /** Each WS heartbeat (every `BK_WS_HEARTBEAT_MS`): this instance is alive. */
  onHeartbeat?(now: Date): void;
}
