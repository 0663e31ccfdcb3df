import { deleteInBatches } from '../../../shared/jobs/housekeeping.js';
import { GUEST_IDLE_MS } from '../domain/chat.entity.js';
import type { ChatDeps } from './chat.deps.js';

/**
 * Housekeeping: a guest that never wrote holds nothing anyone needs once it can no longer be
 * resumed (an hour without activity), so it goes, with its empty visitor conversation. Guests are
 * stored with their first message now; this clears those that connects stored before. A
 * conversation with any message (`last_seq > 0`) stays.
 */
export async function purgeIdleGuests(deps: ChatDeps, now: Date): Promise<number> {
  const before = new Date(now.getTime() - GUEST_IDLE_MS);
  return deleteInBatches((limit) => deps.uow.run((work) => work.guests.deleteIdle(before, limit)));
}
