/**
 * Seeded pseudo-random numbers for the demo organization. Everything the generator draws comes from
 * here, never from Math.random or crypto, so one seed always gives the same files byte for byte.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** FNV-1a over a string: a cheap, stable 32-bit hash for deriving independent streams. */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A mulberry32 generator: 32 bits of state, fast, and good enough for synthetic logs. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * An independent stream named by `label`. It depends only on this stream's seed and the label, not
   * on how much has been drawn, so adding benign events never moves the planted attacks.
   */
  fork(label: string): Random {
    return new Random(hash32(label, hash32(String(this.seed))));
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `n` characters drawn from `alphabet`. */
  chars(alphabet: string, n: number): string {
    // Building from char codes gives a flat string; `+=` builds a rope that JSON.stringify must flatten.
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(this.int(alphabet.length));
    return String.fromCharCode.apply(null, codes);
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    return this.chars('0123456789abcdef', n);
  }

  /** A random (version 4) UUID, as CloudTrail writes eventID. */
  uuid(): string {
    const a = this.word();
    const b = (this.word() & 0xffff0fff) | 0x00004000;
    const c = (this.word() & 0x3fffffff) | 0x80000000;
    const d = this.word();
    return (
      HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + '-' +
      HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-' + HEX[(b >>> 8) & 255]! + HEX[b & 255]! + '-' +
      HEX[c >>> 24]! + HEX[(c >>> 16) & 255]! + '-' + HEX[(c >>> 8) & 255]! + HEX[c & 255]! +
      HEX[d >>> 24]! + HEX[(d >>> 16) & 255]! + HEX[(d >>> 8) & 255]! + HEX[d & 255]!
    );
  }

  /** 32 random bits as an unsigned integer. */
  word(): number {
    return (this.next() * 4294967296) >>> 0;
  }
}

/** A generator for a seed (the demo's default seed is 7). */
export function createRandom(seed: number): Random {
  return new Random(seed);
}

/** Picks among weighted choices in O(log n), for the hot loop that picks one activity per event. */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private readonly items: T[] = [];
  private readonly total: number;

  constructor(choices: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [item, weight] of choices) {
      if (weight <= 0) continue;
      sum += weight;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    if (this.items.length === 0) throw new Error('WeightedPicker needs at least one positive weight');
    this.total = sum;
  }

  /** One item, with probability proportional to its weight. */
  pick(rng: Random): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
