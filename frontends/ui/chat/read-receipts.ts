import { readTarget } from '../../lib/chat-state.js';
import type { PaneContext } from './pane-context.js';

export interface ReadReceipts {
  /** Check what is on screen at the next frame (after a render or a scroll); coalesced. */
  queue(): void;
  dispose(): void;
}

/**
 * Read receipts for what is actually on screen, while the page is visible: the newest message whose
 * top line shows in the scroller moves my read marker (over the socket when it is open, else HTTP).
 */
export function readReceipts(
  ctx: PaneContext,
  scroller: HTMLElement,
  log: HTMLElement,
  onRead?: (conversationId: string, upToSeq: number) => void,
): ReadReceipts {
  const { api, socket, id } = ctx;
  let lastRead = ctx.conv.lastReadSeq;
  let queued = false;

  function newestVisibleSeq(): number | null {
    const bottom = scroller.getBoundingClientRect().bottom;
    const lis = [...log.children] as HTMLElement[];
    for (let index = lis.length - 1; index >= 0; index -= 1) {
      const li = lis[index]!;
      const seq = Number(li.dataset.seq);
      if (!Number.isFinite(seq) || seq <= 0) continue;
      // Seen: its top line is inside the scroller's viewport.
      if (li.getBoundingClientRect().top + 16 <= bottom) return seq;
    }
    return null;
  }

  function check(): void {
    if (document.visibilityState !== 'visible') return;
    const target = readTarget(lastRead, newestVisibleSeq());
    if (target === null) return;
    lastRead = target;
    if (socket.state === 'open') socket.send('chat.read', { conversationId: id, upToSeq: target });
    else void api.markRead(id, target).catch(() => undefined);
    onRead?.(id, target);
  }

  function queue(): void {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      if (!ctx.destroyed) check();
    });
  }

  scroller.addEventListener('scroll', queue, { passive: true });
  document.addEventListener('visibilitychange', queue);
  return {
    queue,
    dispose: () => document.removeEventListener('visibilitychange', queue),
  };
}
