import { deleteInBatches } from '../../../shared/jobs/housekeeping.js';
import type { ChatDeps } from './chat.deps.js';

/**
 * Presence across instances: one row per open socket. A user comes online with their first socket
 * and goes offline when the last closes; returns the change to announce, if any.
 */
export async function socketOpened(
  deps: ChatDeps,
  cmd: { connectionId: string; userId: string },
  now: Date,
): Promise<'online' | null> {
  const count = await deps.uow.run((work) => work.presence.add(cmd.connectionId, cmd.userId, now));
  return count === 1 ? 'online' : null;
}

export async function socketClosed(
  deps: ChatDeps,
  connectionId: string,
): Promise<{ userId: string; status: 'offline' } | null> {
  const left = await deps.uow.run((work) => work.presence.remove(connectionId));
  return left && left.remaining === 0 ? { userId: left.userId, status: 'offline' } : null;
}

/** How long a presence row lives without its instance refreshing it (several heartbeats). */
export const PRESENCE_STALE_MS = 5 * 60_000;

/** The instance's heartbeat: its open user sockets are still there. */
export async function socketsSeen(
  deps: ChatDeps,
  connectionIds: readonly string[],
  now: Date,
): Promise<void> {
  await deps.uow.run((work) => work.presence.refresh(connectionIds, now));
}

/**
 * Housekeeping: presence rows of an instance that died with sockets open are never closed; once
 * they go unrefreshed for PRESENCE_STALE_MS they are deleted, so their users can go offline and
 * come online again.
 */
export async function purgeStalePresence(deps: ChatDeps, now: Date): Promise<number> {
  const before = new Date(now.getTime() - PRESENCE_STALE_MS);
  return deleteInBatches((limit) =>
    deps.uow.run((work) => work.presence.deleteStale(before, limit)),
  );
}
