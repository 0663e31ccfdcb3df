import { randomUUID } from 'node:crypto';
import type { WsHandlers } from '../../../generated/v1/ws-events.js';
import { toProblem } from '../http/problem.js';
import type { Clock } from '../time/clock.js';
import type { AcceptedFrame, Connection } from './connection.js';
import type { WsContext } from './realtime.port.js';

type Handler = (input: {
  payload: unknown;
  frameId: string;
  correlationId: string | undefined;
  ctx: WsContext;
}) => Promise<void> | void;

/**
 * Routes an accepted frame to its channel's typed handler from the generated event table. A
 * handler's error answers `system.error` on that socket (a 5xx one is logged too); the socket
 * stays open.
 * @example
 * const route = createFrameRouter(chatWs(chat), clock);
 * await route(conn, 'chat.send', frame);
 */
export function createFrameRouter(handlers: WsHandlers<WsContext>, clock: Clock) {
  return async function route(conn: Connection, type: string, frame: AcceptedFrame) {
    const requestId = `ws_${randomUUID()}`;
    const correlationId = frame.metadata?.correlationId;
    const handler = (handlers[conn.channel] as Record<string, Handler>)[type];
    const ctx: WsContext = { connection: conn, requestId, now: clock.now(), log: conn.log };
    try {
      if (!handler) throw new Error(`no handler for ${conn.channel} ${type}`);
      await handler({ payload: frame.payload, frameId: frame.id, correlationId, ctx });
    } catch (err) {
      const { body, status } = toProblem(err, requestId);
      if (status >= 500) conn.log.error({ err, type, requestId }, 'websocket handler failed');
      conn.sendProblem(body, correlationId ?? frame.id);
    }
  };
}
