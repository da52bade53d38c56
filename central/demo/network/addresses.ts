/**
 * Public addresses for benign network traffic. The documentation ranges (RFC 5737) are kept for the
 * planted attackers and the CloudTrail demo's people, so no benign flow or request can ever share an
 * address with an attacker; other reserved ranges are skipped so every benign client reads as public.
 */
import type { Random } from '../random.js';

// [first address, prefix length]: special-purpose ranges (RFC 6890) with a first octet of 100-223,
// plus a few large CDN and search-provider blocks, so a generated client never looks like a real
// company's edge.
const AVOIDED: ReadonlyArray<readonly [string, number]> = [
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['104.16.0.0', 12],
  ['108.162.192.0', 18],
  ['142.250.0.0', 15],
  ['151.101.0.0', 16],
  ['157.240.0.0', 16],
  ['162.158.0.0', 15],
  ['172.217.0.0', 16],
  ['216.58.192.0', 19],
];

const toInt = (address: string): number => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

const MASKS = AVOIDED.map(([base, bits]) => {
  const size = 2 ** (32 - bits);
  const start = toInt(base);
  return [start, start + size] as const;
});

/** Whether an IPv4 address falls in a range benign traffic must not use. */
export function isAvoidedAddress(address: string): boolean {
  const n = toInt(address);
  return MASKS.some(([from, to]) => n >= from && n < to);
}

/** A public-looking IPv4 address with a first octet of 100-223, outside every avoided range. */
export function publicAddress(rng: Random): string {
  for (;;) {
    const address = `${rng.between(100, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.between(1, 254)}`;
    if (!isAvoidedAddress(address)) return address;
  }
}

/** A private address inside a VPC's /16, e.g. `10.8.0.0/16`, avoiding the subnet's reserved first four. */
export function addressIn(cidr: string, rng: Random, thirdOctets: readonly [number, number] = [0, 63]): string {
  const [a, b] = cidr.split('.');
  return `${a}.${b}.${rng.between(thirdOctets[0], thirdOctets[1])}.${rng.between(4, 250)}`;
}
