import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { DeadLetterView } from '../domain/dead-letter.js';
import type { EventsDeps } from './events.deps.js';

export async function listDeadLetters(
  deps: EventsDeps,
  query: { cursor?: string; limit?: number },
): Promise<Page<DeadLetterView>> {
  return deps.uow.read(({ deadLetters }) =>
    keysetPage(
      query,
      (after, limit) => deadLetters.page(after, limit),
      (deadLetterView) => ({ createdAt: deadLetterView.failedAt, id: deadLetterView.id }),
    ),
  );
}
