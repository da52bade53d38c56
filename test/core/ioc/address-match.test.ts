import { describe, expect, it } from 'vitest';
import { described, matcherOf } from './lists.js';

describe('matching addresses against exact IPs and CIDR blocks', () => {
  it('matches an exact IPv4 address and not its neighbours', () => {
    const m = matcherOf({ bad: '  ips: [198.51.100.7]' });
    expect(described(m.matchAddress('198.51.100.7'))).toEqual(['bad ip 198.51.100.7 address']);
    expect(m.matchAddress('198.51.100.6')).toEqual([]);
    expect(m.matchAddress('198.51.100.8')).toEqual([]);
  });

  it('matches an exact IPv6 address however it is written', () => {
    const m = matcherOf({ bad: "  ips: ['2001:db8::7']" });
    expect(described(m.matchAddress('2001:0DB8:0000::0007'))).toEqual(['bad ip 2001:db8::7 address']);
    expect(m.matchAddress('2001:db8::8')).toEqual([]);
  });

  it('matches a block from its network address to its broadcast address, and nothing outside', () => {
    const m = matcherOf({ net: '  cidrs: [198.51.100.0/24]' });
    expect(['198.51.99.255', '198.51.100.0', '198.51.100.255', '198.51.101.0'].map((ip) => m.matchAddress(ip).length)).toEqual([0, 1, 1, 0]);
  });

  it('treats a /32 as one address and /0 as every IPv4 address but no IPv6 address', () => {
    const m = matcherOf({ one: '  cidrs: [192.0.2.10/32]', all: '  cidrs: [0.0.0.0/0]' });
    expect(described(m.matchAddress('192.0.2.10'))).toEqual(['one cidr 192.0.2.10/32 address', 'all cidr 0.0.0.0/0 address']);
    expect(described(m.matchAddress('255.255.255.255'))).toEqual(['all cidr 0.0.0.0/0 address']);
    expect(described(m.matchAddress('0.0.0.0'))).toEqual(['all cidr 0.0.0.0/0 address']);
    expect(m.matchAddress('2001:db8::1')).toEqual([]);
  });

  it('matches IPv6 blocks at their boundaries, /128 and ::/0 included', () => {
    const m = matcherOf({ net: "  cidrs: ['2001:db8:1::/48', '2001:db8:ffff::1/128']", all: "  cidrs: ['::/0']" });
    expect(described(m.matchAddress('2001:db8:1::'))).toEqual(['net cidr 2001:db8:1::/48 address', 'all cidr ::/0 address']);
    expect(described(m.matchAddress('2001:db8:1:ffff:ffff:ffff:ffff:ffff'))).toEqual(['net cidr 2001:db8:1::/48 address', 'all cidr ::/0 address']);
    expect(described(m.matchAddress('2001:db8:2::'))).toEqual(['all cidr ::/0 address']);
    expect(described(m.matchAddress('2001:db8:ffff::1'))).toEqual(['net cidr 2001:db8:ffff::1/128 address', 'all cidr ::/0 address']);
    expect(described(m.matchAddress('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toEqual(['all cidr ::/0 address']);
    expect(m.matchAddress('192.0.2.1')).toEqual([]);
  });

  it('reports every list whose blocks nest or repeat, once per indicator', () => {
    const m = matcherOf({ wide: '  cidrs: [10.0.0.0/8]', narrow: '  cidrs: [10.1.0.0/16]\n  ips: [10.1.2.3]', same: '  ips: [10.1.2.3]' });
    expect(described(m.matchAddress('10.1.2.3'))).toEqual(['wide cidr 10.0.0.0/8 address', 'narrow ip 10.1.2.3 address', 'narrow cidr 10.1.0.0/16 address', 'same ip 10.1.2.3 address']);
    expect(described(m.matchAddress('10.2.0.0'))).toEqual(['wide cidr 10.0.0.0/8 address']);
  });

  it('matches IPv4 indicators against IPv4-mapped IPv6 addresses, and the other way round', () => {
    const m = matcherOf({ v4: '  ips: [192.0.2.10]', mapped: "  cidrs: ['::ffff:198.51.100.0/120']" });
    expect(described(m.matchAddress('::ffff:192.0.2.10'))).toEqual(['v4 ip 192.0.2.10 address']);
    expect(described(m.matchAddress('198.51.100.200'))).toEqual(['mapped cidr ::ffff:198.51.100.0/120 address']);
  });

  it('returns the same empty array for every miss and for text that is not an address', () => {
    const m = matcherOf({ bad: '  ips: [192.0.2.10]' });
    expect(m.matchAddress('192.0.2.11')).toBe(m.matchAddress('not an address'));
  });

  it('names the field of each hit in a flow, including packet-level addresses behind NAT', () => {
    const m = matcherOf({ bad: '  ips: [192.0.2.10, 198.51.100.7]' });
    const hits = m.matchFlow({ srcAddr: '10.0.0.5', dstAddr: '192.0.2.10', pktSrcAddr: '198.51.100.7', pktDstAddr: '192.0.2.10' });
    expect(described(hits)).toEqual(['bad ip 192.0.2.10 dstAddr', 'bad ip 198.51.100.7 pktSrcAddr']);
  });

  it('carries the list severity and weight on each hit', () => {
    const m = matcherOf({ bad: '  ips: [192.0.2.10]' });
    expect(m.matchEvent({ sourceIp: '192.0.2.10' })).toEqual([{ list: 'bad', kind: 'ip', indicator: '192.0.2.10', field: 'sourceIp', severity: 'HIGH', weight: 1 }]);
  });
});
