/**
 * Sorts weighted keys heaviest first, equal weights by key in the order of `<` (UTF-16 code units):
 * the order `(a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1)` gives, without a callback
 * per comparison. A window table holds hundreds of keys seen once, and sorting them with a
 * comparator cost more than counting them. Weights by three-way quicksort, then each run of equal
 * weights by multikey quicksort on the keys' characters (Bentley and Sedgewick, 1997). Keys must be
 * distinct and weights not NaN.
 */

/** What is sorted. */
export interface Weighted {
  readonly key: string;
  readonly weight: number;
}

const SMALL = 12;

/** Sorts `items` in place, heaviest first, ties by key; returns it. */
export function sortHeaviestFirst<T extends Weighted>(items: T[]): T[] {
  byWeight(items, 0, items.length);
  return items;
}

function before(a: Weighted, b: Weighted): boolean {
  return a.weight > b.weight || (a.weight === b.weight && a.key < b.key);
}

function insertion<T extends Weighted>(a: T[], lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= lo && before(x, a[j]!)) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function median(x: number, y: number, z: number): number {
  return x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
}

/** [lo, hi) by weight, descending; the equal-weight middle by key. */
function byWeight<T extends Weighted>(a: T[], lo: number, hi: number): void {
  while (hi - lo > SMALL) {
    const pivot = median(a[lo]!.weight, a[(lo + hi) >> 1]!.weight, a[hi - 1]!.weight);
    // Heavier to the left of lt, lighter from gt on, equal in between.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const w = a[i]!.weight;
      if (w > pivot) swap(a, lt++, i++);
      else if (w < pivot) swap(a, i, --gt);
      else i++;
    }
    byKey(a, lt, gt, 0);
    // The smaller side first by recursion, the larger by the loop: the stack stays shallow.
    if (lt - lo < hi - gt) {
      byWeight(a, lo, lt);
      lo = gt;
    } else {
      byWeight(a, gt, hi);
      hi = lt;
    }
  }
  insertion(a, lo, hi);
}

/** The character of a key at `d`, or -1 past its end (a prefix sorts first). */
function charAt(s: string, d: number): number {
  return d < s.length ? s.charCodeAt(d) : -1;
}

/** [lo, hi), all of one weight and sharing their first `d` characters, by key. */
function byKey<T extends Weighted>(a: T[], lo: number, hi: number, d: number): void {
  while (hi - lo > SMALL) {
    const pivot = median(charAt(a[lo]!.key, d), charAt(a[(lo + hi) >> 1]!.key, d), charAt(a[hi - 1]!.key, d));
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const c = charAt(a[i]!.key, d);
      if (c < pivot) swap(a, lt++, i++);
      else if (c > pivot) swap(a, i, --gt);
      else i++;
    }
    byKey(a, lo, lt, d);
    byKey(a, gt, hi, d);
    // Keys are distinct: past the end of one (pivot -1) at most one key is left.
    if (pivot < 0) return;
    lo = lt;
    hi = gt;
    d++;
  }
  insertion(a, lo, hi);
}
