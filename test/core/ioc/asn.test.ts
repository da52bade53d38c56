import { describe, expect, it } from 'vitest';
import { AsnDataError, buildAsnRanges } from '../../../central/core/ioc/asn-ranges.js';
import { readAsnRanges } from '../../../central/local/asn-files.js';
import { described, matcherOf } from './lists.js';

const csv = (ipv4: string, ipv6 = '') => ({ ipv4: { file: 'v4.csv', text: ipv4 }, ipv6: { file: 'v6.csv', text: ipv6 } });

describe('matching ASN indicators', () => {
  it('asks the AsnLookup port and names the ASN in the hit', () => {
    const asnLookup = { asnOf: (ip: string) => (ip === '192.0.2.10' ? { asn: 14061, name: 'DigitalOcean, LLC' } : undefined) };
    const m = matcherOf({ hosting: '  asns: [AS14061, 16276]' }, { asnLookup });
    expect(described(m.matchAddress('192.0.2.10', 'clientIp'))).toEqual(['hosting asn AS14061 clientIp']);
    expect(m.matchAddress('192.0.2.11')).toEqual([]);
    expect(m.needsAsnLookup).toBe(false);
  });

  it('says when ASN indicators cannot match because no lookup was given', () => {
    expect(matcherOf({ hosting: '  asns: [AS14061]' }).needsAsnLookup).toBe(true);
    expect(matcherOf({ plain: '  ips: [192.0.2.1]' }).needsAsnLookup).toBe(false);
  });
});

describe('ASN ranges from CSV', () => {
  it('finds the range holding an address, at both bounds, and nothing in the gaps', () => {
    const r = buildAsnRanges(csv('1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."\n1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd\n', '2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,64500,"LLC ""EXAMPLE"""\n'));
    expect([r.asnOf('1.0.0.0'), r.asnOf('1.0.0.255'), r.asnOf('1.0.1.0'), r.asnOf('1.0.7.255'), r.asnOf('0.255.255.255')]).toEqual([
      { asn: 13335, name: 'Cloudflare, Inc.' },
      { asn: 13335, name: 'Cloudflare, Inc.' },
      undefined,
      { asn: 38803, name: 'Gtelecom Pty Ltd' },
      undefined,
    ]);
    expect(r.asnOf('2001:db8::1234')).toEqual({ asn: 64500, name: 'LLC "EXAMPLE"' });
    expect(r.asnOf('2001:db8:1::')).toBeUndefined();
    expect(r.asnOf('not an address')).toBeUndefined();
  });

  it('lets the earlier of two overlapping ranges keep what they share, as in the published data', () => {
    const r = buildAsnRanges(csv('10.0.0.0,10.0.0.99,749,First\n10.0.0.50,10.0.0.199,721,Second\n10.0.0.60,10.0.0.70,1,Inside\n'));
    expect([r.asnOf('10.0.0.99')?.asn, r.asnOf('10.0.0.100')?.asn, r.asnOf('10.0.0.65')?.asn, r.ipv4Ranges]).toEqual([749, 721, 749, 2]);
  });

  it('refuses a malformed line, naming its file and line', () => {
    expect(() => buildAsnRanges(csv('1.0.0.0,1.0.0.255,13335,A\n1.0.1.0,1.0.1.255,AS1,B\n'))).toThrow(new AsnDataError('"AS1" is not an ASN', 'v4.csv', 2));
    expect(() => buildAsnRanges(csv('1.0.1.0,1.0.1.255,1,A\n1.0.0.0,1.0.0.255,2,B\n'))).toThrow(/v4.csv:2: ranges are not sorted by start/);
  });

  it('reads the @ip-location-db/asn package: Google and Cloudflare resolvers over IPv4 and IPv6', () => {
    const r = readAsnRanges();
    expect(r.asnOf('8.8.8.8')).toEqual({ asn: 15169, name: 'Google LLC' });
    expect(r.asnOf('1.1.1.1')).toEqual({ asn: 13335, name: 'Cloudflare, Inc.' });
    expect(r.asnOf('2001:4860:4860::8888')).toEqual({ asn: 15169, name: 'Google LLC' });
    expect(r.asnOf('192.0.2.10')).toBeUndefined();
    expect(r.ipv4Ranges).toBeGreaterThan(100_000);
    expect(r.ipv6Ranges).toBeGreaterThan(10_000);
  });
});
