import type { Db } from '../../../shared/db/db.js';
import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import type { DeadLetterView } from '../domain/dead-letter.js';
import type { DeadLetterRepository } from './dead-letter.repository.port.js';

export async function listDeadLetters(
  deps: { db: Db; repo: DeadLetterRepository },
  q: { cursor?: string; limit?: number },
): Promise<Page<DeadLetterView>> {
  return keysetPage(
    q,
    (after, limit) => deps.repo.page(deps.db, after, limit),
    (d) => ({ createdAt: d.failedAt, id: d.id }),
  );
}
