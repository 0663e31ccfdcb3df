import type { WebSocket } from 'ws';
import { CLOSE } from './close-codes.js';
import type { Outbound, FrameMeta } from './outbound.js';
import { createFrameWriter, prebuildFrame } from './prebuilt-frame.js';
import type { RealtimePublisher, Topic, WsChannel, WsConnection } from './realtime.port.js';

/** What the hub needs of a socket besides what use-cases see. */
export interface HubSocket extends WsConnection {
  readonly ws: WebSocket;
  /** Called after a frame was written to the socket: enforces the buffered-bytes limit. */
  afterWrite(): void;
}

/** Every socket of a signed-in session is subscribed to this topic, so the session can close them. */
export const sessionTopic = (sessionId: string): Topic => `session:${sessionId}`;

/**
 * This instance's subscriptions (topic -> sockets) and the publisher use-cases and fan-out
 * handlers write through. Sockets join and leave through `add`/`remove` (a connection keeps its
 * own list, to leave everything when it closes).
 */
export interface TopicHub extends RealtimePublisher {
  /** Envelopes and the outbound contract check, shared with the connections. */
  readonly outbound: Outbound;
  add(topic: Topic, socket: HubSocket): void;
  remove(topic: Topic, socket: HubSocket): void;
}

/**
 * Creates the topic hub. A message for a topic is enveloped, checked against the contract once per
 * channel among its subscribers (when validating), serialized and framed once, then the same bytes
 * are written to every subscribed socket.
 * @example
 * const hub = createTopicHub({ outbound: createOutbound({ clock, log, validate: true }) });
 * const fanout = createPgFanout({ db, log, publisher: hub });
 * hub.publish(`user:${userId}`, 'credits.balance_changed', payload);
 */
export function createTopicHub(deps: { outbound: Outbound }): TopicHub {
  const { outbound } = deps;
  const topics = new Map<Topic, Set<HubSocket>>();
  const writer = createFrameWriter();

  function checkOnce(set: Set<HubSocket>, env: ReturnType<Outbound['envelope']>): void {
    const seen = new Set<WsChannel>();
    for (const socket of set) {
      if (seen.has(socket.channel)) continue;
      seen.add(socket.channel);
      outbound.check(socket.channel, env);
    }
  }

  return {
    outbound,
    add(topic, socket) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(socket);
    },
    remove(topic, socket) {
      const set = topics.get(topic);
      if (!set?.delete(socket)) return;
      if (set.size === 0) topics.delete(topic);
    },
    publish(topic: Topic, type: string, payload: object, meta?: FrameMeta) {
      const set = topics.get(topic);
      if (!set || set.size === 0) return;
      const env = outbound.envelope(type, payload, meta);
      if (outbound.validating) checkOnce(set, env);
      const frame = prebuildFrame(JSON.stringify(env));
      writer.message();
      for (const socket of [...set]) {
        writer.write(socket.ws, frame);
        socket.afterWrite();
      }
    },
    subscribers: (topic) => [...(topics.get(topic) ?? [])],
    closeSessionSockets(sessionId, reason) {
      for (const socket of [...(topics.get(sessionTopic(sessionId)) ?? [])])
        socket.close(CLOSE.SESSION_ENDED, `session ended: ${reason}`);
    },
  };
}
