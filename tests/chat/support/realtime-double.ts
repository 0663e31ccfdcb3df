import { randomUUID } from 'node:crypto';
import { wsChannels } from '../../../generated/v1/ws-events.js';
import type { Db } from '../../../server/shared/db/db.js';
import type { DomainEvent } from '../../../server/shared/events/domain-event.js';
import type { Logger } from '../../../server/shared/logging/logger.js';
import type {
  RealtimeFanout,
  RealtimePublisher,
  WsActor,
  WsChannel,
  WsConnection,
  WsContext,
  WsLifecycle,
} from '../../../server/shared/realtime/realtime.port.js';
import type { OutboundPayload, OutboundType } from '../../support/ws-frames.js';

export interface RecordedFrame {
  id: string;
  type: string;
  occurredAt: string;
  schemaVersion: number;
  /** As sent; `of(type)` gives it the generated payload type of `type`. */
  payload: unknown;
  metadata?: { correlationId?: string };
}

/** A socket stand-in: records every frame it is sent, as the envelope the WS server would write. */
export class TestConnection implements WsConnection {
  readonly id = randomUUID();
  readonly frames: RecordedFrame[] = [];
  readonly topics = new Set<string>();
  closed: { code: number; reason: string } | null = null;
  actor: WsActor | null;
  constructor(
    private readonly hub: RealtimeDouble,
    readonly channel: WsChannel,
    actor: WsActor | null,
    readonly ip = '127.0.0.1',
  ) {
    this.actor = actor;
  }
  get open(): boolean {
    return this.closed === null;
  }
  setGuest(guestId: string): void {
    this.actor = { kind: 'guest', guestId };
  }
  subscribe(topic: string): void {
    this.topics.add(topic);
  }
  unsubscribe(topic: string): void {
    this.topics.delete(topic);
  }
  send(type: string, payload: object, meta?: { correlationId?: string }): void {
    const frame: RecordedFrame = {
      id: randomUUID(),
      type,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      payload: JSON.parse(JSON.stringify(payload)),
      ...(meta?.correlationId ? { metadata: { correlationId: meta.correlationId } } : {}),
    };
    this.hub.check(this.channel, frame);
    this.frames.push(frame);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  of<Type extends OutboundType>(type: Type): OutboundPayload<Type>[] {
    // The hub checks every frame against the generated validator of its type before recording it.
    return this.frames
      .filter((frame) => frame.type === type)
      .map((frame) => frame.payload as OutboundPayload<Type>);
  }
  clear(): void {
    this.frames.length = 0;
  }
  ctx(log: Logger): WsContext {
    return { connection: this, requestId: randomUUID(), now: new Date(), log };
  }
}

/**
 * One "instance" of the realtime side, in memory: the fan-out port chat registers with, sockets,
 * and a relay that hands committed outbox rows (read from Postgres, in position order) to the
 * registered handlers. Two doubles on one database behave like two API instances. Every frame a
 * socket receives is validated against the channel's generated outbound validator.
 */
export class RealtimeDouble implements RealtimeFanout {
  readonly connections = new Set<TestConnection>();
  readonly invalid: Array<{ channel: string; frame: RecordedFrame; errors: unknown }> = [];
  private readonly handlers: Array<{
    types: readonly string[];
    handler: (event: DomainEvent, out: RealtimePublisher) => void | Promise<void>;
  }> = [];
  private position = 0;
  private peers: RealtimeDouble[] = [this];

  constructor(private readonly db: Db) {}

  /** Makes `broadcast` reach the other instances too (NOTIFY in the real server). */
  link(...others: RealtimeDouble[]): void {
    this.peers = [this, ...others];
  }

  onEvent(
    types: readonly string[],
    handler: (event: DomainEvent, out: RealtimePublisher) => void | Promise<void>,
  ): void {
    this.handlers.push({ types, handler });
  }

  async broadcast(topic: string, type: string, payload: object): Promise<void> {
    for (const peer of this.peers) peer.publisher.publish(topic, type, payload);
  }

  readonly publisher: RealtimePublisher = {
    publish: (topic, type, payload, meta) => {
      for (const connection of this.connections)
        if (connection.topics.has(topic) && !connection.closed)
          connection.send(type, payload, meta);
    },
    subscribers: (topic) =>
      [...this.connections].filter(
        (connection) => connection.topics.has(topic) && !connection.closed,
      ),
    closeSessionSockets: (sessionId, reason) => {
      for (const connection of this.connections)
        if (
          connection.actor?.kind === 'user' &&
          connection.actor.sessionId === sessionId &&
          !connection.closed
        )
          connection.close(4001, `session ended: ${reason}`);
    },
  };

  check(channel: WsChannel, frame: RecordedFrame): void {
    const spec = (
      wsChannels[channel].outbound as Record<
        string,
        { validate: { (data: unknown): boolean; errors?: unknown } }
      >
    )[frame.type];
    if (!spec) {
      this.invalid.push({ channel, frame, errors: `no outbound ${frame.type} on ${channel}` });
      return;
    }
    if (!spec.validate(frame)) this.invalid.push({ channel, frame, errors: spec.validate.errors });
  }

  /** Connects a socket through the chat lifecycle (what the WS server does after WSGuard). */
  async connect(
    lifecycle: WsLifecycle,
    channel: WsChannel,
    actor: WsActor | null,
    query = '',
    log: Logger,
  ): Promise<TestConnection> {
    const testConnection = new TestConnection(this, channel, actor);
    this.connections.add(testConnection);
    await lifecycle.onConnect(testConnection, new URLSearchParams(query), { now: new Date(), log });
    return testConnection;
  }

  disconnect(lifecycle: WsLifecycle, testConnection: TestConnection): void {
    testConnection.closed = { code: 1000, reason: 'test' };
    this.connections.delete(testConnection);
    lifecycle.onDisconnect(testConnection);
  }

  /** Delivers every outbox event committed since the last call, in order, to this instance's handlers. */
  async relay(): Promise<number> {
    const { rows } = await this.db.query<{
      position: number;
      id: string;
      type: string;
      occurred_at: Date;
      schema_version: number;
      payload: DomainEvent['payload'];
      metadata: DomainEvent['metadata'];
    }>(
      'SELECT position, id, type, occurred_at, schema_version, payload, metadata FROM outbox WHERE position > $1 ORDER BY position',
      [this.position],
    );
    for (const row of rows) {
      this.position = Number(row.position);
      const event: DomainEvent = {
        id: row.id,
        type: row.type,
        occurredAt: row.occurred_at.toISOString(),
        schemaVersion: row.schema_version,
        payload: row.payload,
        metadata: row.metadata,
      };
      for (const handle of this.handlers)
        if (handle.types.includes(event.type)) await handle.handler(event, this.publisher);
    }
    return rows.length;
  }
}
