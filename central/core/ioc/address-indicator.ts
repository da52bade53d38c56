/**
 * Reads one address indicator (an exact IP or a CIDR block, IPv4 or IPv6) into the inclusive range
 * it covers. A block with host bits set (`192.0.2.10/24`) is refused rather than silently widened:
 * it is almost always a typo for the address or for another prefix, and the reason says which
 * network it would have meant.
 */
import { parseIpInto, wordsToBigInt, WORDS } from '../net/ip-words.js';

/** The range an indicator covers, at load time (bigint is fine here, never on a lookup). */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly end: bigint;
  readonly prefix: number;
}

const words = new Uint32Array(4);

/** Parses an exact address or (with `cidr`) a block `address/prefix`; a string is the reason it is invalid. */
export function parseAddressIndicator(text: string, cidr: boolean): AddressRange | string {
  const slash = text.indexOf('/');
  if (!cidr && slash >= 0) return `"${text}" is a CIDR block: list it under cidrs`;
  if (cidr && slash < 0) return `"${text}" has no prefix length: list a single address under ips`;
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = parseIpInto(address, words);
  if (family === 0) return `"${address}" is not an IPv4 or IPv6 address`;
  const bitsInFamily = WORDS[family] * 32;
  // A mapped address (::ffff:a.b.c.d) is matched as IPv4, so its prefix counts IPv4 bits.
  const mapped = family === 4 && address.includes(':');
  const prefixText = slash < 0 ? String(bitsInFamily) : text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return `"${text}" has an invalid prefix length "${prefixText}"`;
  const prefix = Number(prefixText) - (mapped && slash >= 0 ? 96 : 0);
  if (prefix < 0 || prefix > bitsInFamily) return `"${text}" has a prefix length out of range (0-${mapped ? 128 : bitsInFamily}${mapped ? ', at least 96 for an IPv4-mapped block' : ''})`;
  const value = wordsToBigInt(words, WORDS[family]);
  const hostBits = BigInt(bitsInFamily - prefix);
  const hostMask = (1n << hostBits) - 1n;
  if ((value & hostMask) !== 0n) {
    return `"${text}" has host bits set: the network is ${formatNetwork(value & ~hostMask, family)}/${prefix}`;
  }
  return { family, start: value, end: value | hostMask, prefix };
}

/** An address as text (IPv6 uncompressed but without leading zeros), for reasons only. */
function formatNetwork(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const parts: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(((value >> s) & 0xffffn).toString(16));
  return parts.join(':');
}
