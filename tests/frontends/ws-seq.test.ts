import { describe, expect, it } from 'vitest';
import { SeqOrder, type SeqGap } from '../../frontends/lib/ws-seq.js';

const CONV = 'c1';

function setup(seqs: Record<string, number> = {}) {
  const delivered: number[] = [];
  const gaps: SeqGap[] = [];
  const order = new SeqOrder(seqs, (_type, frame) =>
    delivered.push((frame as { seq: number }).seq),
  );
  order.onGap((seqGap) => gaps.push(seqGap));
  const msg = (seq: number, id = CONV): void => order.message('chat.message', { seq }, id, seq);
  return { order, delivered, gaps, msg };
}

describe('SeqOrder', () => {
  it('when the first message of a conversation arrives, then it sets the baseline; a repeat or an older seq is dropped', () => {
    const { order, delivered, msg } = setup();
    msg(7);
    msg(7);
    msg(5);
    msg(8);
    expect(delivered).toEqual([7, 8]);
    expect(order.seqs()).toEqual({ [CONV]: 8 });
  });

  it('when a message skips seqs live, then it is held back and the gap reported; the missing ones release it in order', () => {
    const { order, delivered, gaps, msg } = setup({ [CONV]: 3 });
    msg(6);
    expect(delivered).toEqual([]);
    expect(gaps).toEqual([{ conversationId: CONV, from: 4, to: 5 }]);
    msg(4);
    expect(delivered).toEqual([4]);
    order.setSeq(CONV, 5);
    expect(delivered).toEqual([4, 6]);
    expect(order.seqs()).toEqual({ [CONV]: 6 });
  });

  it('when a conversation resumes, then buffering is silent, and caught_up treats seqs the replay skipped as no gap', () => {
    const { order, delivered, gaps, msg } = setup({ [CONV]: 2 });
    expect(order.resumeAll(100)).toEqual([{ conversationId: CONV, afterSeq: 2 }]);
    msg(5);
    expect(gaps).toEqual([]);
    order.caughtUp(CONV, 5);
    expect(delivered).toEqual([5]);
    expect(gaps).toEqual([]);
    expect(order.seqs()).toEqual({ [CONV]: 5 });
  });

  it('when a new guest resumes, then what the old guest held is forgotten; the same guest resumes after its seq', () => {
    const { order } = setup({ old: 9 });
    expect(order.resumeGuest(CONV, true)).toBe(0);
    expect(order.seqs()).toEqual({ [CONV]: 0 });
    order.setSeq(CONV, 4);
    expect(order.resumeGuest(CONV, false)).toBe(4);
  });

  it('when nothing is held, then there is nothing to resume', () => {
    expect(setup().order.resumeAll(100)).toBeNull();
  });
});
