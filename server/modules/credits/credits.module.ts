import type { Db, Tx } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { EventActor } from '../../shared/events/domain-event.js';
import type { RealtimeFanout } from '../../shared/realtime/realtime.port.js';
import type { Clock } from '../../shared/time/clock.js';
import { applyCreditEntry, type AppliedEntry } from './application/apply-credit-entry.use-case.js';
import { canOrder, type CanOrder } from './application/can-order.use-case.js';
import { consumeCredits, type ConsumeCredits } from './application/consume-credits.use-case.js';
import type { CreditsDeps } from './application/credits.deps.js';
import { readBalance } from './application/read-credits.use-case.js';
import type { CreditEntryKind } from './domain/credit-entry.entity.js';
import { createCreditsRepository } from './infrastructure/credits.repository.pg.js';
import { creditsHttp, type CreditsOperations } from './transport/credits.http.js';
import { registerCreditsRealtime } from './transport/credits.realtime.js';

type LedgerEntry = (
  tx: Tx,
  cmd: { clientId: string; meals: number; sourceKind: string; sourceId: string; reason: string },
  meta: { now: Date; actor?: EventActor },
) => Promise<AppliedEntry>;

/**
 * What Packs and Subscriptions write through, inside THEIR transaction (an outbox consumer's), so
 * a grant or reversal commits exactly with the fact that caused it. Each `(sourceKind, sourceId)`
 * counts once.
 */
export interface CreditsLedger {
  grant: LedgerEntry;
  reverse: LedgerEntry;
}

export interface CreditsModule {
  readonly http: CreditsOperations;
  readonly ledger: CreditsLedger;
  balance(clientId: string): Promise<{ balance: number; updatedAt: string | null }>;
  /** Spends meals (ordering); throws `CREDITS.INSUFFICIENT` when short. */
  consume(
    cmd: ConsumeCredits,
    meta?: { requestId?: string; actor?: EventActor },
  ): Promise<AppliedEntry>;
  /** Seed 000 §1: may this client order `meals` meals now? */
  canOrder(clientId: string, meals: number): Promise<CanOrder>;
}

export interface CreditsModuleDeps {
  db: Db;
  clock: Clock;
  /** Balance changes are pushed to the client's sockets through it. */
  fanout: RealtimeFanout;
}

export function createCreditsModule(deps: CreditsModuleDeps): CreditsModule {
  const creditsDeps: CreditsDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({
      credits: createCreditsRepository(queryable),
    })),
  };
  registerCreditsRealtime(deps.fanout);
  const entry =
    (kind: CreditEntryKind): LedgerEntry =>
    (tx, cmd, meta) =>
      applyCreditEntry(
        creditsDeps.uow.join(tx),
        {
          clientId: cmd.clientId,
          kind,
          amount: cmd.meals,
          sourceKind: cmd.sourceKind,
          sourceId: cmd.sourceId,
          reason: cmd.reason,
        },
        meta,
      );
  return {
    http: creditsHttp(creditsDeps),
    ledger: { grant: entry('grant'), reverse: entry('reverse') },
    balance: (clientId) => readBalance(creditsDeps, clientId),
    consume: (cmd, meta = {}) =>
      consumeCredits(creditsDeps, cmd, { now: deps.clock.now(), ...meta }),
    canOrder: (clientId, meals) => canOrder(creditsDeps, clientId, meals),
  };
}
