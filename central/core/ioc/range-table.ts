/**
 * Address ranges (exact addresses and CIDR blocks of every list) flattened into sorted,
 * non-overlapping segments, each naming the group of indicators that cover it. A lookup is one
 * binary search over typed arrays: no allocation, O(log n), the same cost for a million blocks as
 * for ten. Overlaps (a /16 in one list, a /24 inside it in another, the same address twice) are
 * resolved when the table is built, so a lookup never has to collect them.
 */
import { bigIntToWords, compareWords } from '../net/ip-words.js';

/** One range to index: inclusive bounds and the indicator it stands for. */
export interface IndexedRange {
  readonly start: bigint;
  readonly end: bigint;
  /** The caller's id for the indicator (an index into its own table). */
  readonly id: number;
}

/** A built table of one address family. */
export interface RangeTable {
  /** How many 32-bit words an address takes: 1 for IPv4, 4 for IPv6. */
  readonly width: number;
  /** The indicator ids of each group, ascending; a lookup returns an index into this. */
  readonly groups: readonly (readonly number[])[];
  /** The group covering the address in `words` (its first `width` words), or -1. */
  lookup(words: Uint32Array): number;
}

/** Builds a table from ranges of addresses `width` words wide. */
export function buildRangeTable(ranges: readonly IndexedRange[], width: number): RangeTable {
  const max = (1n << BigInt(32 * width)) - 1n;
  const points = new Set<bigint>();
  for (const r of ranges) {
    points.add(r.start);
    if (r.end < max) points.add(r.end + 1n);
  }
  const sortedPoints = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byStart = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const groups: number[][] = [];
  const groupOf = new Map<string, number>();
  const segStarts: bigint[] = [];
  const segGroups: number[] = [];
  let active: IndexedRange[] = [];
  let next = 0;
  for (const point of sortedPoints) {
    active = active.filter((r) => r.end >= point);
    while (next < byStart.length && byStart[next]!.start === point) active.push(byStart[next++]!);
    const ids = [...new Set(active.map((r) => r.id))].sort((a, b) => a - b);
    const key = ids.join(',');
    let group = -1;
    if (ids.length > 0) {
      group = groupOf.get(key) ?? groups.length;
      if (group === groups.length) {
        groups.push(ids);
        groupOf.set(key, group);
      }
    }
    // Neighbours covered by the same indicators are one segment.
    if (segGroups.length > 0 && segGroups[segGroups.length - 1] === group) continue;
    segStarts.push(point);
    segGroups.push(group);
  }
  const starts = new Uint32Array(segStarts.length * width);
  segStarts.forEach((s, i) => bigIntToWords(s, starts, i * width, width));
  const segmentGroups = Int32Array.from(segGroups);
  return { width, groups, lookup: (words) => segmentGroups[lastAtOrBelow(starts, words, width)] ?? -1 };
}

/** The index of the last segment starting at or below the address, or -1 (then `?? -1` above). */
export function lastAtOrBelow(starts: Uint32Array, words: Uint32Array, width: number): number {
  let lo = 0;
  let hi = starts.length / width - 1;
  let found = -1;
  if (width === 1) {
    const q = words[0]!;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= q) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareWords(starts, mid * width, words, 0, width) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
