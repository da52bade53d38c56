import { describe, expect, it } from 'vitest';
import { parseIpInto } from '../../../central/core/net/ip-words.js';

const out = new Uint32Array(4);
const parse = (text: string) => {
  const family = parseIpInto(text, out);
  return family === 0 ? 'invalid' : family === 4 ? `v4 ${out[0]!.toString(16)}` : `v6 ${[...out].map((w) => w.toString(16)).join(' ')}`;
};

describe('parsing addresses into words', () => {
  it('reads IPv4 addresses, from the lowest to the highest', () => {
    expect([parse('0.0.0.0'), parse('192.0.2.10'), parse('255.255.255.255')]).toEqual(['v4 0', 'v4 c000020a', 'v4 ffffffff']);
  });

  it('refuses IPv4 octets over 255, leading zeros, missing and extra parts', () => {
    expect(['256.0.0.1', '192.0.2.010', '192.0.2', '192.0.2.1.5', '192.0.2.', '.192.0.2', '1..2.3', ' 192.0.2.1', ''].map(parse)).toEqual(Array(9).fill('invalid'));
  });

  it('reads IPv6 with and without compression, in either case, with a zone id', () => {
    expect(parse('2001:db8::1')).toBe('v6 20010db8 0 0 1');
    expect(parse('2001:DB8:0:0:0:0:0:1')).toBe('v6 20010db8 0 0 1');
    expect(parse('::')).toBe('v6 0 0 0 0');
    expect(parse('::1')).toBe('v6 0 0 0 1');
    expect(parse('fe80::1%eth0')).toBe('v6 fe800000 0 0 1');
    expect(parse('2001:db8::')).toBe('v6 20010db8 0 0 0');
    expect(parse('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('v6 ffffffff ffffffff ffffffff ffffffff');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect([parse('::ffff:192.0.2.10'), parse('::ffff:c000:20a')]).toEqual(['v4 c000020a', 'v4 c000020a']);
  });

  it('refuses malformed IPv6', () => {
    expect(['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1::', '1:::2', '1:2:3:4:5:6:7:8::', 'g::1', '::1.2.3', '2001:db8:'].map(parse)).toEqual(Array(10).fill('invalid'));
  });

  it('refuses service names that CloudTrail writes in sourceIPAddress', () => {
    expect(parse('ec2.amazonaws.com')).toBe('invalid');
    expect(parse('AWS Internal')).toBe('invalid');
  });
});
