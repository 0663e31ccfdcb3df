import type { Queryable, Tx } from '../../../shared/db/db.js';
import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type { CreditEntry } from '../domain/credit-entry.entity.js';

export interface CreditsRepository {
  /** Creates the account at zero if needed, then locks it for the rest of `tx`; returns the balance. */
  lockAccount(tx: Tx, clientId: string, at: Date): Promise<number>;
  findBySource(tx: Queryable, sourceKind: string, sourceId: string): Promise<CreditEntry | null>;
  setBalance(tx: Tx, clientId: string, balance: number, at: Date): Promise<void>;
  insertEntry(tx: Tx, entry: CreditEntry): Promise<void>;
  balance(q: Queryable, clientId: string): Promise<{ balance: number; updatedAt: string | null }>;
  history(
    q: Queryable,
    clientId: string,
    after: CursorPosition | null,
    limit: number,
  ): Promise<CreditEntry[]>;
}
