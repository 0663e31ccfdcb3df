/**
 * Who a socket belongs to, as WSGuard establishes it. Defined here, below realtime, because WSGuard
 * decides it and the realtime server only carries it (realtime.port.ts re-exports both).
 */

export type WsChannel = 'site' | 'client' | 'admin';

/** Who is on the other end of a socket: a signed-in user (client/admin) or a site guest. */
export type WsActor =
  | {
      kind: 'user';
      userId: string;
      role: string;
      permissions: readonly string[];
      sessionId: string;
      displayName: string;
    }
  | { kind: 'guest'; guestId: string };
