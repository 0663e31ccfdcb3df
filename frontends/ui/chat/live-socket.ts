import { backend } from '../../lib/config.js';
import { createWsClient, type WsClient } from '../../lib/ws-client.js';
import type { SessionStore } from '../../lib/session.js';
import type { ChatSocket } from './chat-api.js';

export interface LiveSocket<C extends 'client' | 'admin'> {
  /** The channel's client, opened on first call. */
  get(): WsClient<C>;
  /** The same socket seen through the chat screens' interface; opens it on first use. */
  chat: ChatSocket;
}

/**
 * The surface's one WebSocket, opened on first use and kept across pages (so catch-up seqs and
 * unread counts survive navigation); closed when the user signs out.
 */
export function liveSocket<C extends 'client' | 'admin'>(
  channel: C,
  session: SessionStore,
): LiveSocket<C> {
  let socket: WsClient<C> | null = null;
  session.subscribe((user) => {
    if (!user && socket) {
      socket.close();
      socket = null;
    }
  });
  const get = (): WsClient<C> => {
    if (!socket) {
      socket = createWsClient({ wsBase: backend.wsBase, channel });
      socket.connect();
    }
    return socket;
  };
  // Both channels carry the same chat frames with the same schemas; one view of them serves both.
  const text = (): WsClient<'client'> => get() as unknown as WsClient<'client'>;
  const chat: ChatSocket = {
    get state() {
      return get().state;
    },
    send: (type, payload) => text().send(type, payload),
    on: (type, fn) => text().on(type, fn),
    onState: (fn) => get().onState(fn),
    onGap: (fn) => get().onGap(fn),
    setSeq: (id, seq) => get().setSeq(id, seq),
    seqs: () => get().seqs(),
  };
  return { get, chat };
}
