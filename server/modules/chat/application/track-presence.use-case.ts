import type { ChatDeps } from './chat.ports.js';

/**
 * Presence across instances: one row per open socket. A user comes online with their first socket
 * and goes offline when the last closes; returns the change to announce, if any.
 */
export async function socketOpened(deps: ChatDeps, cmd: { connectionId: string; userId: string }, now: Date): Promise<'online' | null> {
  const count = await deps.db.tx((tx) => deps.repo.addPresence(tx, cmd.connectionId, cmd.userId, now));
  return count === 1 ? 'online' : null;
}

export async function socketClosed(deps: ChatDeps, connectionId: string): Promise<{ userId: string; status: 'offline' } | null> {
  const left = await deps.db.tx((tx) => deps.repo.removePresence(tx, connectionId));
  return left && left.remaining === 0 ? { userId: left.userId, status: 'offline' } : null;
}
