import type { DomainEvent } from '../../../shared/events/domain-event.js';
import type { CreditEntryKind } from './credit-entry.entity.js';

/** After every ledger entry, in the same transaction; the realtime fan-out pushes it to the client. */
export type CreditsBalanceChangedPayload = {
  clientId: string;
  balance: number;
  delta: number;
  kind: CreditEntryKind;
  entryId: string;
  at: string;
};
export type CreditsBalanceChanged = DomainEvent<
  'credits.balance_changed',
  CreditsBalanceChangedPayload
>;
export const CREDITS_BALANCE_CHANGED = 'credits.balance_changed';
