import type { Db, Tx } from '../../shared/db/db.js';
import type { EventActor } from '../../shared/events/domain-event.js';
import type { Clock } from '../../shared/time/clock.js';
import { applyCreditEntry, type AppliedEntry } from './application/apply-credit-entry.use-case.js';
import { canOrder, type CanOrder } from './application/can-order.use-case.js';
import { consumeCredits, type ConsumeCredits } from './application/consume-credits.use-case.js';
import { readBalance, readHistory } from './application/read-credits.use-case.js';
import type { CreditEntry } from './domain/credit-entry.entity.js';
import { createCreditsRepository } from './infrastructure/credits.repository.pg.js';

/**
 * What Packs and Subscriptions write through, inside THEIR transaction (an outbox consumer's), so
 * a grant or reversal commits exactly with the fact that caused it. Each `(sourceKind, sourceId)`
 * counts once.
 */
export interface CreditsLedger {
  grant(
    tx: Tx,
    cmd: { clientId: string; meals: number; sourceKind: string; sourceId: string; reason: string },
    meta: { now: Date; actor?: EventActor },
  ): Promise<AppliedEntry>;
  reverse(
    tx: Tx,
    cmd: { clientId: string; meals: number; sourceKind: string; sourceId: string; reason: string },
    meta: { now: Date; actor?: EventActor },
  ): Promise<AppliedEntry>;
}

export interface CreditsModule {
  readonly ledger: CreditsLedger;
  balance(clientId: string): Promise<{ balance: number; updatedAt: string | null }>;
  history(
    clientId: string,
    q: { cursor?: string; limit?: number },
  ): Promise<{ items: CreditEntry[]; nextCursor: string | null }>;
  /** Spends meals (ordering); throws `CREDITS.INSUFFICIENT` when short. */
  consume(
    cmd: ConsumeCredits,
    meta?: { requestId?: string; actor?: EventActor },
  ): Promise<AppliedEntry>;
  /** Seed 000 §1: may this client order `meals` meals now? */
  canOrder(clientId: string, meals: number): Promise<CanOrder>;
}

export function createCreditsModule(deps: { db: Db; clock: Clock }): CreditsModule {
  const repo = createCreditsRepository();
  const { db, clock } = deps;
  return {
    ledger: {
      grant: (tx, cmd, meta) =>
        applyCreditEntry(
          repo,
          tx,
          {
            clientId: cmd.clientId,
            kind: 'grant',
            amount: cmd.meals,
            sourceKind: cmd.sourceKind,
            sourceId: cmd.sourceId,
            reason: cmd.reason,
          },
          meta,
        ),
      reverse: (tx, cmd, meta) =>
        applyCreditEntry(
          repo,
          tx,
          {
            clientId: cmd.clientId,
            kind: 'reverse',
            amount: cmd.meals,
            sourceKind: cmd.sourceKind,
            sourceId: cmd.sourceId,
            reason: cmd.reason,
          },
          meta,
        ),
    },
    balance: (clientId) => readBalance({ db, repo }, clientId),
    history: (clientId, q) => readHistory({ db, repo }, clientId, q),
    consume: (cmd, meta = {}) => consumeCredits({ db, repo }, cmd, { now: clock.now(), ...meta }),
    canOrder: (clientId, meals) => canOrder({ db, repo }, clientId, meals),
  };
}
