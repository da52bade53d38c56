/** IPv4 and IPv6 addresses and CIDR blocks, compiled once into masks for fast membership tests. */

/** Parses an IPv4 address into an unsigned 32-bit number, or undefined. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Parses an IPv6 address (with `::` and an embedded IPv4 tail) into a 128-bit bigint, or undefined. */
export function parseIPv6(text: string): bigint | undefined {
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) return undefined;
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const last = (tail.length ? tail : head).at(-1);
  const v4 = last?.includes('.') ? parseIPv4(last) : undefined;
  if (last?.includes('.')) {
    if (v4 === undefined) return undefined;
    (tail.length ? tail : head).splice(-1, 1, ((v4 >>> 16) & 0xffff).toString(16), (v4 & 0xffff).toString(16));
  }
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else groups = head;
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** A compiled set of CIDR blocks. */
export interface CidrSet {
  has(ip: string): boolean;
}

/** Compiles CIDR blocks (or bare addresses); throws on an invalid one so rules fail at load. */
export function compileCidrs(blocks: readonly string[]): CidrSet {
  const v4: Array<[number, number]> = [];
  const v6: Array<[bigint, bigint]> = [];
  for (const block of blocks) {
    const [addr = '', bitsText] = block.split('/');
    const a4 = parseIPv4(addr);
    if (a4 !== undefined) {
      const bits = bitsText === undefined ? 32 : Number(bitsText);
      if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`invalid CIDR "${block}"`);
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      v4.push([(a4 & mask) >>> 0, mask]);
      continue;
    }
    const a6 = parseIPv6(addr);
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (a6 === undefined || !Number.isInteger(bits) || bits < 0 || bits > 128) throw new Error(`invalid CIDR "${block}"`);
    const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
    v6.push([a6 & mask, mask]);
  }
  return {
    has(ip: string): boolean {
      const a4 = parseIPv4(ip);
      if (a4 !== undefined) return v4.some(([net, mask]) => ((a4 & mask) >>> 0) === net);
      if (v6.length === 0) return false;
      const a6 = parseIPv6(ip);
      return a6 !== undefined && v6.some(([net, mask]) => (a6 & mask) === net);
    },
  };
}
