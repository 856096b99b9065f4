import { describe, expect, it } from 'vitest';
import { classifyAddress, isIpLiteral } from '../../../src/net/address-policy.js';

// Ranges: IANA IPv4/IPv6 Special-Purpose Address Registries (RFC 6890), as named by ipaddr.js 2.5;
// the ::/96 and 2000::/3 rules come from security-reliability.md §1.4-§1.5.
const BLOCKED: Array<[string, string]> = [
  ['0.0.0.0', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.100.100.200', 'carrierGradeNat'], // Alibaba Cloud metadata service
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'linkLocal'], // AWS/GCP/Azure metadata
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'], // TEST-NET-1
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'reserved'], // benchmarking
  ['198.51.100.7', 'reserved'], // TEST-NET-2
  ['203.0.113.9', 'reserved'], // TEST-NET-3
  ['224.0.0.1', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped, unwrapped
  ['::ffff:a9fe:a9fe', 'linkLocal'], // 169.254.169.254 mapped
  ['::ffff:100.100.100.200', 'carrierGradeNat'],
  ['::7f00:1', 'ipv4Compatible'], // ipaddr.js calls this unicast
  ['64:ff9b::7f00:1', 'rfc6052'], // NAT64 of 127.0.0.1
  ['64:ff9b:1::1', 'rfc6052'],
  ['2002:7f00:1::', '6to4'],
  ['2001::1', 'teredo'],
  ['2001:db8::1', 'reserved'], // documentation
  ['fc00::1', 'uniqueLocal'],
  ['fd00:ec2::254', 'uniqueLocal'], // AWS IMDS over IPv6
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['fec0::1', 'deprecatedSiteLocal'],
  ['ff02::1', 'multicast'],
  ['100::1', 'discard'],
  ['not-an-ip', 'invalid'],
];

const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '47.96.0.1',
  '::ffff:8.8.8.8',
  '2606:4700:4700::1111',
  '[2400:3200::1]',
];

describe('classifyAddress', () => {
  it.each(BLOCKED)('refuses %s as %s', (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ isPublic: false, range });
  });

  it.each(PUBLIC)('accepts the public address %s', (address) => {
    expect(classifyAddress(address)).toMatchObject({ isPublic: true, range: 'unicast' });
  });

  it('reports the unwrapped IPv4 form of a mapped address', () => {
    expect(classifyAddress('::ffff:7f00:1').normalized).toBe('127.0.0.1');
  });
});

describe('isIpLiteral', () => {
  it.each([
    ['127.0.0.1', true],
    ['[::1]', true],
    ['::ffff:7f00:1', true],
    ['example.com', false],
    ['localhost', false],
  ])('tells whether %s is an IP literal', (value, expected) => {
    expect(isIpLiteral(value)).toBe(expected);
  });
});
