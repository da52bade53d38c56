/** The IOC lists behind the statistics detectors' `AddressIntel` port. */
import type { AddressIntel } from '../statistics/network-statistics.js';
import type { IocMatcher } from './matcher.js';

/**
 * The lists naming an address, by exact address or block. ASN indicators are left out: an ASN names
 * a whole provider, too broad to raise an anomaly's severity (and the Lambda has no ASN tables).
 */
export function addressIntel(matcher: IocMatcher): AddressIntel {
  return { listsFor: (address) => matcher.matchAddress(address).filter((h) => h.kind !== 'asn').map((h) => ({ list: h.list, indicator: h.indicator })) };
}
