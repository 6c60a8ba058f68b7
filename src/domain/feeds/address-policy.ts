import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Addresses a feed may be fetched from: public unicast only. A feed URL is typed by an admin, but the
 * bot's network position must not be usable to reach internal services (SSRF). ipaddr.js keeps the
 * IANA special-purpose registries (loopback, private, link-local, carrier-grade NAT, documentation,
 * benchmarking, multicast, NAT64, 6to4, Teredo, reserved…), so there is no hand-kept table to go stale.
 */

/**
 * Ranges ipaddr.js calls "unicast" that are not reachable public hosts: IPv4-compatible `::/96`
 * (deprecated, routes to an IPv4 address), and, named by the issue so they stay refused even if the
 * library's table changes, local-use NAT64 and Teredo.
 */
const EXTRA_BLOCKED_V6 = (['::/96', '64:ff9b:1::/48', '2001::/32'] as const).map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

/** True when the address is not a public unicast address. Unparseable input counts as private. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  // node's isIP first: ipaddr.js alone also accepts legacy forms such as "0x7f.1".
  const family = isIP(bare);
  if (family === 0) return true;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(bare);
  } catch {
    return true;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const parts = v6.parts;
    // `::ffff:a.b.c.d` is the IPv4 host itself: judge the IPv4 address.
    if (parts.slice(0, 5).every((part) => part === 0) && parts[5] === 0xffff) return v6.toIPv4Address().range() !== 'unicast';
    if (EXTRA_BLOCKED_V6.some((range) => v6.match(range))) return true;
  }
  return parsed.range() !== 'unicast';
}
