/**
 * The demo's addresses come from the documentation ranges (RFC 5737), which no real ASN announces;
 * here each gets a documentation ASN (RFC 5398), so behaviour rules over `network.asn` have networks
 * to learn: the offices and homes of the people, the cloud the functions call from, and the hosting
 * provider the planted attackers rent. Any other address is asked of the real data, when loaded.
 */
import type { AsnInfo, AsnLookup } from '../core/ioc/asn-ranges.js';

const NETWORKS: ReadonlyArray<readonly [prefix: string, info: AsnInfo]> = [
  ['192.0.2.', { asn: 64496, name: 'EXAMPLE-OFFICE-ISP' }],
  ['198.51.100.', { asn: 64497, name: 'EXAMPLE-BROADBAND' }],
  ['203.0.113.', { asn: 64511, name: 'EXAMPLE-VPS-HOSTING' }],
];

/** The documentation ranges' ASNs, then `fallback` for every other address. */
export function documentationAsns(fallback?: AsnLookup): AsnLookup {
  return {
    asnOf(ip) {
      for (const [prefix, info] of NETWORKS) if (ip.startsWith(prefix)) return info;
      return fallback?.asnOf(ip);
    },
  };
}
