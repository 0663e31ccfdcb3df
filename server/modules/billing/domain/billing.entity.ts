export type ReferenceKind = 'pack_purchase' | 'subscription';
/** What money was for, in BK's terms. */
export interface BillingReference {
  kind: ReferenceKind;
  id: string;
}
export interface BillingLine {
  description: string;
  quantity: number;
  unitAmountMinor: number;
  amountMinor: number;
}
export type TransactionKind = 'payment' | 'invoice' | 'refund';
export type ProviderName = 'stripe' | 'local';
/** An immutable record of money that moved. */
export interface BillingTransaction {
  id: string;
  kind: TransactionKind;
  amountMinor: number;
  currency: string;
  provider: ProviderName;
  providerRef: string;
  reference: BillingReference | null;
  clientId: string | null;
  refundedMinor: number;
  lines: BillingLine[];
  createdAt: string;
}

/** The metadata keys BK puts on every checkout session, payment intent and subscription. */
export const META = {
  referenceKind: 'bk_reference_kind',
  referenceId: 'bk_reference_id',
  clientId: 'bk_client_id',
} as const;

export function referenceFromMetadata(
  metadata: Record<string, string> | null | undefined,
): { reference: BillingReference; clientId: string | null } | null {
  const kind = metadata?.[META.referenceKind];
  const id = metadata?.[META.referenceId];
  if ((kind !== 'pack_purchase' && kind !== 'subscription') || !id || !/^[0-9a-f-]{36}$/.test(id))
    return null;
  return { reference: { kind, id }, clientId: metadata?.[META.clientId] ?? null };
}

export function lineTotal(lines: readonly Omit<BillingLine, 'amountMinor'>[]): number {
  return lines.reduce((sum, line) => sum + line.unitAmountMinor * line.quantity, 0);
}
