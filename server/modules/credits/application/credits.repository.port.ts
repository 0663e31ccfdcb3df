import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type { CreditEntry } from '../domain/credit-entry.entity.js';

/** A client's credit account and its append-only ledger (one aggregate). Bound by the unit of work. */
export interface CreditsRepository {
  /** Creates the account at zero if needed, then locks it for the rest of the transaction; returns the balance. */
  lockAccount(clientId: string, at: Date): Promise<number>;
  findBySource(sourceKind: string, sourceId: string): Promise<CreditEntry | null>;
  setBalance(clientId: string, balance: number, at: Date): Promise<void>;
  insertEntry(entry: CreditEntry): Promise<void>;
  balance(clientId: string): Promise<{ balance: number; updatedAt: string | null }>;
  history(clientId: string, after: CursorPosition | null, limit: number): Promise<CreditEntry[]>;
}
