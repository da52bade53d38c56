/**
 * The one place where rule text becomes a regular expression, so that no rule can stall the pipeline.
 *
 * - Detection rules (`regex:`) and Sigma's `|re` run on RE2 (the re2js port): matching takes time
 *   linear in the text, whatever the pattern. RE2 has no lookaround and no backreferences, the two
 *   features that need backtracking; a pattern using them is refused when the rule loads.
 * - The object scanner's secret detectors run on V8's own engine, which is fast on large objects but
 *   backtracks (RE2 measured 40 times slower there, see docs/scanner.md). Their patterns are held to
 *   bounded quantifiers instead, refused at load otherwise (see `compileScanRegex`).
 * test/core/safe-regex-owner.test.ts fails if a regex is built from rule text anywhere else.
 */
import { RE2JS } from 're2js';

/** How a rule regex compares text; the defaults are those of a plain JavaScript regex. */
export interface RuleRegexFlags {
  /** Compare without case (Sigma's `i`, a condition's `ignoreCase`). */
  readonly ignoreCase?: boolean;
  /** `^` and `$` match at line breaks too (Sigma's `m`). */
  readonly multiline?: boolean;
  /** `.` matches a line break too (Sigma's `s`). */
  readonly dotAll?: boolean;
}

/** A compiled rule regex. */
export interface RuleRegex {
  readonly source: string;
  /** How it runs: a plain string comparison when the pattern is a literal (`^x`, `x$`, `^x$`, `x`), else RE2. */
  readonly plan: 'contains' | 'prefix' | 'suffix' | 'equals' | 're2';
  /** True when the pattern matches somewhere in `text`; linear in the text's length. */
  test(text: string): boolean;
}

/** A pattern refused at load: invalid, or using syntax that needs a backtracking engine. */
export class RuleRegexError extends Error {
  override readonly name = 'RuleRegexError';
  constructor(
    message: string,
    readonly pattern: string,
    /** True when the pattern is valid elsewhere but uses a feature this engine does not run (lookaround, backreferences). */
    readonly unsupported: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Compiles a rule regex for RE2; throws RuleRegexError naming what is wrong. */
export function compileRuleRegex(source: string, flags: RuleRegexFlags = {}): RuleRegex {
  const backtracking = backtrackingFeature(source);
  if (backtracking) {
    throw new RuleRegexError(`${backtracking} is not supported: rule regexes run on RE2, in linear time, which has no lookaround or backreferences`, source, true);
  }
  const bits = (flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (flags.multiline ? RE2JS.MULTILINE : 0) | (flags.dotAll ? RE2JS.DOTALL : 0);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, bits);
  } catch (err) {
    // re2js prefixes every message with "error parsing regexp: ".
    const why = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw new RuleRegexError(`${why} (RE2 syntax)`, source, false, { cause: err });
  }
  const literal = flags.ignoreCase || flags.multiline ? undefined : literalPattern(source);
  if (literal) {
    const { text: want, start, end } = literal;
    if (start && end) return { source, plan: 'equals', test: (text) => text === want };
    if (start) return { source, plan: 'prefix', test: (text) => text.startsWith(want) };
    if (end) return { source, plan: 'suffix', test: (text) => text.endsWith(want) };
    return { source, plan: 'contains', test: (text) => text.includes(want) };
  }
  return { source, plan: 're2', test: (text) => compiled.test(text) };
}

/**
 * The literal a pattern stands for, when it is one: plain characters and escaped punctuation, with
 * `^` and `$` only at its ends. RE2's `$` is the end of the text (no line breaks without `m`), so
 * `x$` is exactly endsWith. Compiled by RE2 first all the same, so an invalid pattern still fails.
 */
function literalPattern(source: string): { text: string; start: boolean; end: boolean } | undefined {
  const start = source.startsWith('^');
  let text = '';
  let i = start ? 1 : 0;
  let end = false;
  for (; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[++i];
      if (next === undefined || !/[!-\/:-@[-`{-~]/.test(next)) return undefined;
      text += next;
    } else if (c === '$' && i === source.length - 1) end = true;
    else if ('.^$|?*+()[]{}'.includes(c)) return undefined;
    else text += c;
  }
  return { text, start, end };
}

/** The first lookaround or backreference outside a character class, named for a message. */
export function backtrackingFeature(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `backreference "\\${next}"`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return 'backreference "\\k<...>"';
      i++;
    } else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      // A `]` first in a class (or after `^`) is a literal, not the end.
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (c === '(' && source[i + 1] === '?') {
      const kind = source.slice(i + 2, i + 4);
      if (kind.startsWith('=')) return 'lookahead "(?="';
      if (kind.startsWith('!')) return 'negative lookahead "(?!"';
      if (kind === '<=') return 'lookbehind "(?<="';
      if (kind === '<!') return 'negative lookbehind "(?<!"';
    }
  }
  return undefined;
}

/**
 * Compiles a secret detector's pattern for V8's engine, with the `flags` given. Quantifiers must be
 * bounded (`{0,64}`, not `*`, `+` or `{n,}`): then one match attempt reads a bounded number of bytes,
 * so scanning an object takes time linear in its size. Throws RuleRegexError otherwise.
 */
export function compileScanRegex(source: string, flags: string): RegExp {
  const unbounded = unboundedQuantifier(source);
  if (unbounded) throw new RuleRegexError(`unbounded quantifier "${unbounded}"; bound it (e.g. {0,64}) so a large object cannot make the regex run away`, source, false);
  try {
    // Scan patterns keep V8's syntax, lookaround and backreferences included.
    return new RegExp(source, flags);
  } catch (err) {
    throw new RuleRegexError((err as Error).message, source, false, { cause: err });
  }
}

/** How many capture groups a compiled scan regex has. */
export function captureGroups(regex: RegExp): number {
  // An empty alternative matches '', and the match array has one slot per group.
  return new RegExp(`${regex.source}|`, regex.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
}

/**
 * A global regex finding the leftmost of some literal strings (keywords), longest first where two
 * start at the same place. Literals only, escaped: an alternation of them cannot backtrack.
 */
export function literalSearch(literals: readonly string[]): RegExp {
  const sorted = [...literals].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g');
}

/** The first `*`, `+` or `{n,}` outside a character class: quantifiers must be bounded. */
export function unboundedQuantifier(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '*' || c === '+') return c;
    else if (c === '{') {
      const open = /^\{\d+,\}/.exec(source.slice(i, i + 12));
      if (open) return open[0];
    }
  }
  return undefined;
}
