/** Missing seqs in a conversation: `from`..`to` inclusive were not received before a later one. */
export interface SeqGap {
  conversationId: string;
  from: number;
  to: number;
}

type Dispatch = (type: string, frame: unknown) => void;

/**
 * The catch-up rule of the WebSocket client (see createWsClient): per conversation, the highest seq
 * held without a gap, the messages buffered above a gap, and the conversations between
 * `chat.resume` and their `chat.caught_up`. Messages leave through `dispatch` in seq order.
 */
export class SeqOrder {
  /** Highest seq held without a gap, per conversation. */
  private readonly held: Map<string, number>;
  /** Messages above a gap, per conversation, by seq. */
  private readonly buffered = new Map<string, Map<number, { type: string; frame: unknown }>>();
  /** Conversations between `chat.resume` and their `chat.caught_up`. */
  private readonly resuming = new Set<string>();
  private readonly gapListeners = new Set<(gap: SeqGap) => void>();

  constructor(
    seqs: Readonly<Record<string, number>>,
    private readonly dispatch: Dispatch,
  ) {
    this.held = new Map(Object.entries(seqs));
  }

  seqs(): Record<string, number> {
    return Object.fromEntries(this.held);
  }

  setSeq(conversationId: string, seq: number): void {
    if (seq > (this.held.get(conversationId) ?? 0)) this.held.set(conversationId, seq);
    this.flush(conversationId);
  }

  onGap(listener: (gap: SeqGap) => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  /** A message with a seq: a duplicate is dropped, the next one delivered, one past a gap buffered. */
  message(type: string, frame: unknown, id: string, seq: number): void {
    const last = this.held.get(id);
    if (last === undefined && !this.resuming.has(id)) {
      // The first message seen in a conversation sets its baseline.
      this.held.set(id, seq);
      this.dispatch(type, frame);
      return;
    }
    if (seq <= (last ?? 0)) return;
    if (seq === (last ?? 0) + 1) {
      this.held.set(id, seq);
      this.dispatch(type, frame);
      this.flush(id);
      return;
    }
    let waiting = this.buffered.get(id);
    if (!waiting) this.buffered.set(id, (waiting = new Map()));
    waiting.set(seq, { type, frame });
    if (!this.resuming.has(id)) this.reportGap(id);
  }

  /** The replay of `id` ended at `lastSeq`: what it held back is delivered, and only then a gap is one. */
  caughtUp(id: string, lastSeq: number, hasMore = false): void {
    // A resume that stopped at its message cap keeps the conversation resuming (the caller asks again).
    if (!hasMore) this.resuming.delete(id);
    if (lastSeq > (this.held.get(id) ?? 0)) {
      // Seqs the replay did not send (not visible on this channel) are not gaps.
      const waiting = this.buffered.get(id);
      for (let seconds = (this.held.get(id) ?? 0) + 1; seconds <= lastSeq; seconds += 1) {
        const item = waiting?.get(seconds);
        if (item) {
          waiting!.delete(seconds);
          this.dispatch(item.type, item.frame);
        }
      }
      this.held.set(id, lastSeq);
    }
    this.flush(id);
    if (!hasMore) this.reportGap(id);
  }

  /** Where the next resume of `id` starts. */
  afterSeq(id: string): number {
    return this.held.get(id) ?? 0;
  }

  /** Site: the guest's one conversation resumes; a new guest starts empty. Returns its `afterSeq`. */
  resumeGuest(conversationId: string, newGuest: boolean): number {
    if (newGuest) {
      this.held.clear();
      this.buffered.clear();
    }
    const afterSeq = this.held.get(conversationId) ?? 0;
    this.resuming.clear();
    this.resuming.add(conversationId);
    if (!this.held.has(conversationId)) this.held.set(conversationId, 0);
    return afterSeq;
  }

  /**
   * Client/admin: the last `most` conversations it started holding resume; any other catches up
   * through a gap when its next message arrives. Null when none is held.
   */
  resumeAll(most: number): Array<{ conversationId: string; afterSeq: number }> | null {
    if (this.held.size === 0) return null;
    const conversations = [...this.held]
      .slice(-most)
      .map(([conversationId, afterSeq]) => ({ conversationId, afterSeq }));
    this.resuming.clear();
    for (const conversation of conversations) this.resuming.add(conversation.conversationId);
    return conversations;
  }

  /** Delivers buffered messages that now follow the held seq without a gap. */
  private flush(conversationId: string): void {
    const waiting = this.buffered.get(conversationId);
    if (!waiting) return;
    for (let next = (this.held.get(conversationId) ?? 0) + 1; waiting.has(next); next += 1) {
      const item = waiting.get(next)!;
      waiting.delete(next);
      this.held.set(conversationId, next);
      this.dispatch(item.type, item.frame);
    }
    for (const seq of waiting.keys())
      if (seq <= (this.held.get(conversationId) ?? 0)) waiting.delete(seq);
    if (waiting.size === 0) this.buffered.delete(conversationId);
  }

  private reportGap(conversationId: string): void {
    const waiting = this.buffered.get(conversationId);
    if (!waiting || waiting.size === 0) return;
    const from = (this.held.get(conversationId) ?? 0) + 1;
    const to = Math.min(...waiting.keys()) - 1;
    if (to >= from)
      for (const gapListener of this.gapListeners) gapListener({ conversationId, from, to });
  }
}
