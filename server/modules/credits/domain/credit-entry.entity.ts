export type CreditEntryKind = 'grant' | 'consume' | 'reverse';

/** One immutable ledger line; `balanceAfter` is the balance right after it. */
export interface CreditEntry {
  id: string;
  clientId: string;
  kind: CreditEntryKind;
  delta: number;
  balanceAfter: number;
  sourceKind: string;
  sourceId: string;
  reason: string | null;
  createdAt: string;
}

/** What caused an entry; `(sourceKind, sourceId)` is unique, so a cause counts once. */
export interface CreditSource {
  sourceKind: string;
  sourceId: string;
}

/** The sign each kind carries: grants add, consumption and reversals subtract. */
export function signedDelta(kind: CreditEntryKind, amount: number): number {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new RangeError(`credit amounts are positive integers (got ${amount})`);
  return kind === 'grant' ? amount : -amount;
}
