// Which IP addresses a public-URL download may connect to (security-reliability.md §1.5). Pure: the
// connector and the URL pre-check both ask this one function, so literals and resolved names agree.
import ipaddr from 'ipaddr.js';

/** Result of {@link classifyAddress}: the ipaddr.js range name of the processed address. */
export interface AddressClass {
  /** True only for globally routable unicast addresses. */
  isPublic: boolean;
  /** ipaddr.js range (`loopback`, `private`, `carrierGradeNat`, …) or `invalid` / `ipv4Compatible`. */
  range: string;
  /** The address after unwrapping IPv4-mapped IPv6 (`::ffff:7f00:1` → `127.0.0.1`). */
  normalized: string;
}

// IPv6 global unicast is 2000::/3 (RFC 4291 §2.4); anything else that ipaddr.js still calls
// `unicast`, such as the IPv4-compatible ::7f00:1 (security-reliability.md §1.4), is refused.
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Classifies an IP address (v4 or v6, with or without brackets). Only `unicast` survives: loopback,
 * private, link-local, CGNAT (100.64/10, holding Alibaba's metadata service 100.100.100.200),
 * unspecified, multicast, broadcast, reserved and documentation ranges, NAT64 (rfc6052), 6to4,
 * Teredo, ULA, site-local and IPv4-compatible forms are all non-public. IPv4-mapped IPv6 addresses
 * are unwrapped first and judged as IPv4.
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Zone ids (fe80::1%eth0) are link-local by definition.
  const withoutZone = bare.split('%')[0] ?? bare;
  if (!ipaddr.isValid(withoutZone)) return { isPublic: false, range: 'invalid', normalized: bare };
  const parsed = ipaddr.process(withoutZone);
  const normalized = parsed.toString();
  if (bare !== withoutZone) return { isPublic: false, range: 'linkLocal', normalized };
  const range = parsed.range();
  if (parsed.kind() === 'ipv6' && range === 'unicast') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.match(IPV4_COMPATIBLE)) return { isPublic: false, range: 'ipv4Compatible', normalized };
    if (!v6.match(IPV6_GLOBAL_UNICAST)) return { isPublic: false, range: 'reserved', normalized };
  }
  return { isPublic: range === 'unicast', range, normalized };
}

/** True when `address` is a syntactically valid IPv4 or IPv6 literal (brackets allowed). */
export function isIpLiteral(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return ipaddr.isValid(bare.split('%')[0] ?? bare);
}
