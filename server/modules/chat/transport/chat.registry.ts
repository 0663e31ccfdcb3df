import type { WsConnection } from '../../../shared/realtime/realtime.port.js';

/** This instance's signed-in chat sockets by user, so membership changes can (un)subscribe them live. */
export interface SocketRegistry {
  add(userId: string, connection: WsConnection): void;
  remove(userId: string, connection: WsConnection): void;
  socketsOf(userId: string): readonly WsConnection[];
}

export function createSocketRegistry(): SocketRegistry {
  const byUser = new Map<string, Set<WsConnection>>();
  return {
    add(userId, connection) {
      let set = byUser.get(userId);
      if (!set) byUser.set(userId, (set = new Set()));
      set.add(connection);
    },
    remove(userId, connection) {
      const set = byUser.get(userId);
      if (!set) return;
      set.delete(connection);
      if (set.size === 0) byUser.delete(userId);
    },
    socketsOf(userId) {
      return [...(byUser.get(userId) ?? [])];
    },
  };
}
