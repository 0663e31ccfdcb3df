import { Timeline, type ConversationKind, type MemberRole } from '../../lib/chat-state.js';
import type { ChatApi, ChatSocket } from './chat-api.js';

export interface PaneConversation {
  conversationId: string;
  kind: ConversationKind;
  title: string;
  myRole: MemberRole | null;
  lastReadSeq: number;
}

/**
 * What the parts of one conversation pane (timeline, composer, members, moderation) share: the
 * surface's API and socket, who I am, the conversation (whose `myRole` follows live role changes),
 * its messages, and the pane's lifetime, so a timer or a late answer does nothing once it is gone.
 */
export interface PaneContext {
  readonly api: ChatApi;
  readonly socket: ChatSocket;
  readonly me: { id: string; displayName: string };
  readonly conv: PaneConversation;
  readonly id: string;
  readonly timeline: Timeline;
  /** Messages with an open edit/delete form or trail: not re-rendered under the user's hands. */
  readonly busy: Set<string>;
  readonly destroyed: boolean;
  /** A timeout that is skipped after destroy and cleared by it. */
  later(fn: () => void, ms: number): number;
}

export function paneContext(
  api: ChatApi,
  socket: ChatSocket,
  me: PaneContext['me'],
  conv: PaneConversation,
): PaneContext & { destroy(): void } {
  const timers = new Set<number>();
  let destroyed = false;
  return {
    api,
    socket,
    me,
    conv,
    id: conv.conversationId,
    timeline: new Timeline(),
    busy: new Set(),
    get destroyed() {
      return destroyed;
    },
    later(fn, ms) {
      const time = window.setTimeout(() => {
        timers.delete(time);
        if (!destroyed) fn();
      }, ms);
      timers.add(time);
      return time;
    },
    destroy() {
      destroyed = true;
      for (const timer of timers) window.clearTimeout(timer);
    },
  };
}
