import ipaddr from 'ipaddr.js';

// The last address asked about and its network: a keep-alive client or a socket's frames ask
// about the same address again and again, and an IPv6 one costs a parse.
let lastIp = '';
let lastNetwork = '';

/**
 * The client network an address belongs to, the unit per-address limits and the sign-in throttle
 * count: an IPv4 address as it is; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, any spelling)
 * as its IPv4 address; any other IPv6 address as its /64 (`2001:db8:1:2::/64`), since one
 * subscriber is routinely given a whole /64 and could otherwise make up 2^64 addresses. Anything
 * that does not parse is returned unchanged (it came from a trusted proxy or the socket).
 * @example
 * clientNetwork('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 * clientNetwork('::ffff:198.51.100.7');  // '198.51.100.7'
 */
export function clientNetwork(ip: string): string {
  // A dotted IPv4 address, the common case, needs no parsing.
  if (ip.indexOf(':') === -1) return ip;
  if (ip === lastIp) return lastNetwork;
  let network = ip;
  if (ipaddr.IPv6.isValid(ip)) {
    const addr = ipaddr.IPv6.parse(ip);
    network = addr.isIPv4MappedAddress()
      ? addr.toIPv4Address().toString()
      : new ipaddr.IPv6([...addr.parts.slice(0, 4), 0, 0, 0, 0]).toRFC5952String() + '/64';
  }
  lastIp = ip;
  lastNetwork = network;
  return network;
}
