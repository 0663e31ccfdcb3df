import type { EventActor } from '../../../shared/events/domain-event.js';
import { applyCreditEntry, type AppliedEntry } from './apply-credit-entry.use-case.js';
import type { CreditsDeps } from './credits.deps.js';

export interface ConsumeCredits {
  clientId: string;
  meals: number;
  /** What spends them, e.g. `{ sourceKind: 'order', sourceId: orderId }`; a repeat is a no-op. */
  sourceKind: string;
  sourceId: string;
  reason?: string;
}

/** Spends meals in its own transaction; `CREDITS.INSUFFICIENT` (409) when the balance is short. */
export function consumeCredits(
  deps: CreditsDeps,
  cmd: ConsumeCredits,
  meta: { now: Date; requestId?: string; actor?: EventActor },
): Promise<AppliedEntry> {
  return deps.uow.run((work) =>
    applyCreditEntry(
      work,
      {
        clientId: cmd.clientId,
        kind: 'consume',
        amount: cmd.meals,
        sourceKind: cmd.sourceKind,
        sourceId: cmd.sourceId,
        reason: cmd.reason ?? null,
      },
      meta,
    ),
  );
}
