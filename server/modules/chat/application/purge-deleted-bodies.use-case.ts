import { deleteInBatches } from '../../../shared/jobs/housekeeping.js';
import type { ChatDeps } from './chat.deps.js';

/**
 * Housekeeping for message texts that should no longer exist. A deleted message's body stays in
 * chat's own outbox events (posted, edited) until those rows are purged: those copies are nulled
 * (and the copy marked deleted) at the first pass after the deletion, for messages deleted since
 * `deletedSince`. The moderation trail keeps its texts (before, after) for `moderationTextMs`;
 * then they are nulled and the entry (who, what, why, when) stays. Rows are rewritten in small
 * batches, so two instances running it at once only split the work.
 */
export async function purgeDeletedBodies(
  deps: ChatDeps,
  now: Date,
  retention: { moderationTextMs: number; deletedSince: Date },
): Promise<{ outboxCopies: number; moderationTexts: number }> {
  const outboxCopies = await deleteInBatches((limit) =>
    deps.uow.run((work) =>
      work.messages.scrubDeletedBodiesFromOutbox(retention.deletedSince, limit),
    ),
  );
  const textsBefore = new Date(now.getTime() - retention.moderationTextMs);
  const moderationTexts = await deleteInBatches((limit) =>
    deps.uow.run((work) => work.moderation.clearTexts(textsBefore, limit)),
  );
  return { outboxCopies, moderationTexts };
}
