/**
 * Addresses parsed into 32-bit words in a buffer the caller owns, without allocating: IOC and ASN
 * lookups run on every flow and WAF record, so the miss path must not make garbage.
 *
 * IPv4 is one word (`out[0]`); IPv6 is four, most significant first. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.10`) is read as the IPv4 address it carries, so an indicator written either way
 * finds the other. Octets with a leading zero (`010`) are refused: some parsers read them as octal.
 */

/** The address family parseIpInto found, or 0 when the text is not an address. */
export type IpFamily = 0 | 4 | 6;

/** How many words an address of each family takes. */
export const WORDS: Readonly<Record<4 | 6, number>> = { 4: 1, 6: 4 };

// One module-level scratch: JavaScript runs one parse at a time, and the groups never escape.
const groups = new Uint16Array(8);

/** Parses an IPv4 or IPv6 address (zone ids ignored) into `out` (length 4 or more); returns its family. */
export function parseIpInto(text: string, out: Uint32Array): IpFamily {
  if (text.length === 0 || text.length > 64) return 0;
  if (text.indexOf(':') < 0) {
    const v4 = parseIPv4Range(text, 0, text.length);
    if (v4 < 0) return 0;
    out[0] = v4;
    return 4;
  }
  if (!parseIPv6Groups(text)) return 0;
  for (let k = 0; k < 4; k++) out[k] = ((groups[2 * k]! << 16) | groups[2 * k + 1]!) >>> 0;
  if (out[0] === 0 && out[1] === 0 && out[2] === 0xffff) {
    out[0] = out[3]!;
    return 4;
  }
  return 6;
}

/** The IPv4 address in text[from, to) as an unsigned number, or -1. */
function parseIPv4Range(text: string, from: number, to: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Fills `groups` with the eight 16-bit groups of an IPv6 address; false when it is not one. */
function parseIPv6Groups(text: string): boolean {
  const zone = text.indexOf('%');
  const end = zone < 0 ? text.length : zone;
  let n = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    const start = i;
    let value = 0;
    for (let h = hexValue(text.charCodeAt(i)); i < end && h >= 0; h = hexValue(text.charCodeAt(++i))) value = value * 16 + h;
    if (i < end && text.charCodeAt(i) === 46) {
      // An IPv4 tail fills the last two groups.
      const v4 = n <= 6 ? parseIPv4Range(text, start, end) : -1;
      if (v4 < 0) return false;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (i === start || i - start > 4 || n === 8) return false;
    groups[n++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    } else if (i === end) return false;
  }
  if (gap < 0) return n === 8;
  // `::` stands for at least one group of zeros.
  if (n > 7) return false;
  const tail = n - gap;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
  for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/** Compares two addresses of `width` words stored at word offsets `a` and `b`: negative, 0 or positive. */
export function compareWords(x: Uint32Array, a: number, y: Uint32Array, b: number, width: number): number {
  for (let k = 0; k < width; k++) {
    const d = x[a + k]! - y[b + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** An address's words as one unsigned bigint (IPv4: 32 bits, IPv6: 128), for building tables at load. */
export function wordsToBigInt(words: Uint32Array, width: number): bigint {
  let n = 0n;
  for (let k = 0; k < width; k++) n = (n << 32n) | BigInt(words[k]!);
  return n;
}

/** Writes an unsigned bigint of `width` words into `out` at word offset `at`. */
export function bigIntToWords(n: bigint, out: Uint32Array, at: number, width: number): void {
  for (let k = width - 1; k >= 0; k--) {
    out[at + k] = Number(n & 0xffffffffn);
    n >>= 32n;
  }
}
