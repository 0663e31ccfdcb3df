import type { IncomingMessage } from 'node:http';

function normalize(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * The client's address. `X-Forwarded-For` is believed only when the peer is a configured proxy,
 * and then only up to the first hop that is not one of ours (the rightmost untrusted entry).
 */
const peerOf = new WeakMap<object, string>();

export function clientIp(req: IncomingMessage, trustedProxies: readonly string[]): string {
  // The peer address is a syscall away; a keep-alive socket asks once.
  let peer = peerOf.get(req.socket);
  if (peer === undefined) {
    peer = normalize(req.socket.remoteAddress ?? 'unknown');
    peerOf.set(req.socket, peer);
  }
  if (trustedProxies.length === 0 || !trustedProxies.includes(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  if (typeof header !== 'string' || header === '') return peer;
  // One hop (a single proxy in front of us): no list to walk.
  if (header.indexOf(',') === -1) {
    const hop = normalize(header.trim());
    return hop === '' ? peer : hop;
  }
  const hops = header
    .split(',')
    .map((header) => normalize(header.trim()))
    .filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index--) {
    if (!trustedProxies.includes(hops[index]!)) return hops[index]!;
  }
  return hops[0] ?? peer;
}
