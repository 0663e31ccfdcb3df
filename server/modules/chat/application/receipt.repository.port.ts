/** Each reader's read and delivered markers per conversation. Bound by the unit of work. */
export interface ReceiptRepository {
  /** Moves a marker forward to `upToSeq`; true when it moved. Read also moves delivered. */
  advance(
    conversationId: string,
    readerId: string,
    kind: 'read' | 'delivered',
    upToSeq: number,
  ): Promise<boolean>;
}
