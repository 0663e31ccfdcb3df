/**
 * WSGuard: origin allowlist, session, caps on upgrade; schema, authorization and rate limits per
 * frame. The WS server (`server/shared/realtime/ws-server.ts`) runs it for every socket.
 * @example
 * const guard = createWsGuard({ config, clock, sessions });
 */
export {
  createWsGuard,
  type WsGuard,
  type UpgradeDecision,
  type FrameDecision,
  type GuardedConnection,
  type SessionLease,
} from './wsguard.js';
export { wsProblem, pointersOf, refuseUpgrade } from './ws-problem.js';
export type { WsActor, WsChannel } from './ws-actor.js';
