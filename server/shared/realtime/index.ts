/**
 * Realtime: the WebSocket server with WSGuard, topic publishing (framed once per message) and
 * cross-instance fan-out through Postgres LISTEN/NOTIFY.
 * @example
 * const realtime = createRealtime({ config, log, clock, db, sessions: identity.sessions, handlers, lifecycle });
 * realtime.fanout.onEvent(['chat.message_posted'], (event, out) => out.publish(`conversation:${event.payload.conversationId}`, 'chat.message', view(event)));
 */
export {
  createRealtime,
  CLOSE,
  type Realtime,
  type RealtimeOptions,
  type RealtimeStats,
} from './ws-server.js';
export { BROADCAST_CHANNEL } from './fanout.pg.js';
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
