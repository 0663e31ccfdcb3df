import { randomUUID } from 'node:crypto';
import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { domainEvent, type EventActor } from '../../../shared/events/domain-event.js';
import {
  signedDelta,
  type CreditEntry,
  type CreditEntryKind,
  type CreditSource,
} from '../domain/credit-entry.entity.js';
import { InsufficientCredits } from '../domain/credits.errors.js';
import {
  CREDITS_BALANCE_CHANGED,
  type CreditsBalanceChangedPayload,
} from '../domain/credits.events.js';
import type { CreditsRepos } from './credits.deps.js';

export interface ApplyCreditEntry extends CreditSource {
  clientId: string;
  kind: CreditEntryKind;
  /** A positive number of meals; the kind gives the sign. */
  amount: number;
  reason: string | null;
}

export interface AppliedEntry {
  entry: CreditEntry;
  /** True when this source already had an entry: nothing changed. */
  duplicate: boolean;
}

/**
 * The one way the balance changes. The account row is locked first (`SELECT ... FOR UPDATE`), so
 * every entry of one client is serialized: the check "enough credits?" and the write happen under
 * the same lock, and two concurrent consumptions can never both spend the last credit. The ledger
 * entry, the new balance and `credits.balance_changed` commit together or not at all, in `work`:
 * this module's transaction (`consume`) or a caller's it joined (`ledger.grant`).
 */
export async function applyCreditEntry(
  work: Work<CreditsRepos>,
  cmd: ApplyCreditEntry,
  meta: { now: Date; requestId?: string; actor?: EventActor },
): Promise<AppliedEntry> {
  const delta = signedDelta(cmd.kind, cmd.amount);
  const { credits } = work;
  const balance = await credits.lockAccount(cmd.clientId, meta.now);
  const existing = await credits.findBySource(cmd.sourceKind, cmd.sourceId);
  if (existing) return { entry: existing, duplicate: true };
  if (cmd.kind === 'consume' && balance + delta < 0)
    throw new InsufficientCredits(balance, cmd.amount);
  const entry: CreditEntry = {
    id: randomUUID(),
    clientId: cmd.clientId,
    kind: cmd.kind,
    delta,
    balanceAfter: balance + delta,
    sourceKind: cmd.sourceKind,
    sourceId: cmd.sourceId,
    reason: cmd.reason,
    createdAt: meta.now.toISOString(),
  };
  await credits.setBalance(cmd.clientId, entry.balanceAfter, meta.now);
  await credits.insertEntry(entry);
  const payload: CreditsBalanceChangedPayload = {
    clientId: cmd.clientId,
    balance: entry.balanceAfter,
    delta,
    kind: cmd.kind,
    entryId: entry.id,
    at: entry.createdAt,
  };
  await work.appendEvent(
    domainEvent(CREDITS_BALANCE_CHANGED, payload, {
      at: meta.now,
      ...(meta.requestId ? { requestId: meta.requestId } : {}),
      actor: meta.actor ?? { kind: 'system', id: 'credits' },
    }),
  );
  return { entry, duplicate: false };
}
