import * as wsModule from 'ws';
import { WebSocket } from 'ws';

// ws exports its Sender class (wrapper.mjs) and documents the static `Sender.frame(data, options)`
// for framing once and writing to many sockets; @types/ws does not declare it.
const Sender = (wsModule as unknown as { Sender: unknown }).Sender;

interface SenderInternals {
  _state: number;
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}
interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
const frame = (Sender as unknown as { frame(data: Buffer, options: FrameOptions): Buffer[] }).frame;

/** A message serialized and framed once, written as-is to many sockets. */
export interface PrebuiltFrame {
  /** The JSON text, for the fallback path. */
  readonly data: Buffer;
  /** Header and payload in one buffer: one write per socket. */
  readonly framed: Buffer;
}

/**
 * Frames a text message once (server frames are unmasked, and permessage-deflate is off, so the
 * bytes are the same for every socket).
 */
export function prebuildFrame(json: string): PrebuiltFrame {
  const data = Buffer.from(json);
  const parts = frame(data, { fin: true, opcode: 0x01, mask: false, readOnly: false, rsv1: false });
  return { data, framed: parts.length === 1 ? parts[0]! : Buffer.concat(parts) };
}

interface Corkable {
  cork(): void;
  uncork(): void;
  destroyed: boolean;
}

/**
 * Writes prebuilt frames to sockets. Safe only because the server never compresses and never
 * sends Blobs: then ws's Sender has nothing queued (state DEFAULT) and `send` itself would write
 * straight to the socket, which is what `sendFrame` does; otherwise it falls back to `send`.
 *
 * The first message of a tick is written straight away (lowest latency for a lone event). From
 * the second message in the same tick on (a burst), sockets are corked until the end of the tick,
 * so the burst costs one writev per socket instead of one syscall per frame; frames ws writes
 * itself in between (pings, replies, close) queue behind in order, and `end()`/`destroy()` uncork
 * or drop as usual.
 * @example
 * const writer = createFrameWriter();
 * const f = prebuildFrame(JSON.stringify(envelope));
 * writer.message();
 * for (const ws of sockets) writer.write(ws, f);
 */
export function createFrameWriter() {
  const corked = new Set<Corkable>();
  let messagesThisTick = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    messagesThisTick = 0;
    for (const corkable of corked) if (!corkable.destroyed) corkable.uncork();
    corked.clear();
  };
  return {
    /** Marks the start of one message's writes. */
    message(): void {
      messagesThisTick++;
      if (!scheduled) {
        scheduled = true;
        process.nextTick(flush);
      }
    },
    write(ws: WebSocket, prebuiltFrame: PrebuiltFrame): void {
      if (ws.readyState !== WebSocket.OPEN) return;
      const internals = ws as unknown as { _sender?: SenderInternals; _socket?: Corkable };
      const sender = internals._sender;
      const socket = internals._socket;
      if (!sender || sender._state !== 0 || !socket) {
        ws.send(prebuiltFrame.data, { binary: false });
        return;
      }
      if (messagesThisTick > 1 && !corked.has(socket)) {
        socket.cork();
        corked.add(socket);
      }
      sender.sendFrame([prebuiltFrame.framed]);
    },
  };
}
