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

/**
 * Writes a prebuilt frame to one socket. Safe only because the server never compresses and never
 * sends Blobs: then ws's Sender has nothing queued (state DEFAULT) and `send` itself would write
 * straight to the socket, which is what `sendFrame` does. Otherwise it falls back to `send`.
 */
export function writePrebuilt(ws: WebSocket, f: PrebuiltFrame): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  const sender = (ws as unknown as { _sender?: SenderInternals })._sender;
  if (sender && sender._state === 0) sender.sendFrame([f.framed]);
  else ws.send(f.data, { binary: false });
}
