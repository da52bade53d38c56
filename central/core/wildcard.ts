/**
 * Wildcard patterns matched without a regex: literal segments between `*`s, found left to right with
 * indexOf. Placing each segment at its leftmost possible position never loses a match (it leaves the
 * most text for the segments after it), so a test takes one pass over the text whatever the pattern,
 * where the same pattern as a backtracking regex (`.*a.*b.*c`) can take polynomial time.
 */

/** One character of a segment: a literal, or `ANY` for Sigma's `?` (exactly one character). */
export const ANY = null;
/** Text between two `*`s. */
export type Segment = ReadonlyArray<string | typeof ANY>;

/** A compiled wildcard pattern. */
export interface Wildcard {
  test(text: string): boolean;
}

/** How a wildcard pattern is compared. */
export interface WildcardOptions {
  /** Compare lower-cased text with the lower-cased pattern. */
  readonly ignoreCase?: boolean;
  /** The pattern must match from the text's start (true) or may start anywhere (false); default true. */
  readonly anchorStart?: boolean;
  /** The pattern must match up to the text's end; default true. */
  readonly anchorEnd?: boolean;
}

/** `*` wildcards over a whole value, everything else literal: `filter_*`, `arn:aws:iam::*:role/ci-*`. */
export function starPattern(pattern: string): Wildcard {
  return compileWildcard(pattern.split('*').map((s) => s.split('')));
}

/** Compiles segments (the text between `*`s, at least one) into a matcher. */
export function compileWildcard(segments: readonly Segment[], options: WildcardOptions = {}): Wildcard {
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const parts = segments.map((seg) => seg.map((c) => (c === ANY ? ANY : fold(c))));
  // A pattern that may start anywhere is one with a leading `*`; likewise at the end.
  if (options.anchorStart === false) parts.unshift([]);
  if (options.anchorEnd === false) parts.push([]);
  const literals = parts.map((seg) => (seg.includes(ANY) ? undefined : seg.join('')));
  if (parts.length === 1) {
    const only = parts[0]!;
    return { test: (raw) => { const text = fold(raw); return text.length === only.length && fitsAt(text, 0, only); } };
  }
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  return {
    test(raw) {
      const text = fold(raw);
      const end = text.length - tail.length;
      if (end < head.length || !fitsAt(text, 0, head) || !fitsAt(text, end, tail)) return false;
      let at = head.length;
      for (let i = 1; i < parts.length - 1; i++) {
        const found = find(text, parts[i]!, literals[i], at, end);
        if (found < 0) return false;
        at = found + parts[i]!.length;
      }
      return true;
    },
  };
}

/** True when `seg` matches `text` at `at`. */
function fitsAt(text: string, at: number, seg: Segment): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c !== ANY && text[at + i] !== c) return false;
  }
  return true;
}

/** The leftmost place in [from, end) where `seg` fits wholly before `end`, or -1. */
function find(text: string, seg: Segment, literal: string | undefined, from: number, end: number): number {
  const last = end - seg.length;
  if (literal !== undefined) {
    const i = text.indexOf(literal, from);
    return i >= 0 && i <= last ? i : -1;
  }
  for (let i = from; i <= last; i++) if (fitsAt(text, i, seg)) return i;
  return -1;
}
