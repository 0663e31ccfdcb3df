/**
 * Realtime, in parts made in this order: the outbound envelopes and the topic hub (this instance's
 * subscriptions, frames built once per message), the cross-instance fan-out through Postgres
 * LISTEN/NOTIFY (the port modules register their events with), then, once the modules exist, the
 * WebSocket server (WSGuard, connections, frames routed to the modules' handlers).
 * @example
 * const hub = createTopicHub({ outbound: createOutbound({ clock, log, validate: true }) });
 * const fanout = createPgFanout({ db, log, publisher: hub });
 * registerCreditsRealtime(fanout); // a module subscribes its own events: fanout.onEvent([CREDITS_BALANCE_CHANGED], ...)
 * const ws = createWsServer({ config, log, clock, hub, sessions, handlers, lifecycle });
 */
export { CLOSE } from './close-codes.js';
export { createOutbound, type Outbound, type Envelope, type FrameMeta } from './outbound.js';
export { createTopicHub, sessionTopic, type TopicHub, type HubSocket } from './topic-hub.js';
export { createPgFanout, BROADCAST_CHANNEL, type PgFanout } from './fanout.pg.js';
export {
  createWsServer,
  type WsServer,
  type WsServerOptions,
  type RealtimeStats,
} from './ws-server.js';
export type {
  RealtimeFanout,
  RealtimePublisher,
  Topic,
  WsActor,
  WsChannel,
  WsConnection,
  WsContext,
  WsLifecycle,
} from './realtime.port.js';
