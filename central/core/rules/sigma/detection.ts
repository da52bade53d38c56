/**
 * Sigma detections compiled to matchers over a CloudTrail record. Sigma's semantics:
 * - a map is AND over its fields; a list of maps is OR; a list of plain values is a keyword search;
 * - a field with a list of values matches any of them (all of them with `|all`);
 * - strings compare without case, `*` and `?` are wildcards (`\*` a literal star), `null` means absent;
 * - modifiers: contains, startswith, endswith, all, re (with i, m, s), cidr, exists, cased, gt, gte,
 *   lt, lte, fieldref, base64. Others are rejected with the modifier named.
 * Sigma's CloudTrail field names are the record's own (`eventName`, `userIdentity.arn`,
 * `requestParameters.x`), so a field reads the same dotted path in the raw record; arrays fan out.
 * A field holding an object compares as its JSON text, as log backends index it.
 * `|re` runs on RE2 (linear time; lookaround and backreferences are unsupported features); wildcards,
 * contains, startswith, endswith and keywords use no regex at all (see wildcard.ts).
 */
import { compileCidrs } from '../../net/cidr.js';
import { ANY, compileWildcard, type Segment } from '../../wildcard.js';
import { compilePath, isPresent } from '../path.js';
import { compileRuleRegex, RuleRegexError } from '../safe-regex.js';
import { SigmaUnsupportedError } from './condition.js';

/** A compiled detection: true when the record matches. */
export type RecordMatcher = (record: unknown) => boolean;

/** What a detection constrains the record's eventSource and eventName to, for the engine's index. */
export interface KeyConstraint {
  /** Undefined: any. */
  readonly sources?: ReadonlySet<string>;
  readonly names?: ReadonlySet<string>;
}

const SUPPORTED = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'exists', 'cased', 'gt', 'gte', 'lt', 'lte', 'fieldref', 'base64']);

type ValueTest = (value: unknown, record: unknown) => boolean;

/** Compiles one named detection (a map, a list of maps, or a keyword list). */
export function compileDetection(name: string, body: unknown): { match: RecordMatcher; keys: KeyConstraint } {
  if (isMap(body)) return compileSelection(name, body);
  if (Array.isArray(body) && body.length > 0) {
    if (body.every(isMap)) {
      const parts = body.map((m) => compileSelection(name, m));
      return { match: (r) => parts.some((p) => p.match(r)), keys: unionKeys(parts.map((p) => p.keys)) };
    }
    if (body.every((v) => !isMap(v) && !Array.isArray(v))) return { match: keywordMatcher(body), keys: {} };
  }
  if (typeof body === 'string' || typeof body === 'number') return { match: keywordMatcher([body]), keys: {} };
  throw new Error(`detection "${name}" must be a map, a list of maps or a list of keywords`);
}

function compileSelection(name: string, selection: Record<string, unknown>): { match: RecordMatcher; keys: KeyConstraint } {
  const fields = Object.entries(selection).map(([key, value]) => compileField(name, key, value));
  const sources = exactValues(selection, 'eventSource');
  const names = exactValues(selection, 'eventName');
  return {
    match: (r) => fields.every((f) => f(r)),
    keys: { ...(sources && { sources }), ...(names && { names }) },
  };
}

/** The exact values a plain (modifier-free, wildcard-free) field takes, for the index. */
function exactValues(selection: Record<string, unknown>, field: string): Set<string> | undefined {
  if (!(field in selection)) return undefined;
  const values = (Array.isArray(selection[field]) ? selection[field] : [selection[field]]) as unknown[];
  if (!values.every((v) => typeof v === 'string' && !/[*?\\]/.test(v))) return undefined;
  // Sigma compares without case; the index is exact, so a lower-cased name cannot be trusted to index.
  if (field === 'eventName' && values.some((v) => (v as string) === (v as string).toLowerCase())) return undefined;
  return new Set(values.map((v) => (field === 'eventSource' ? (v as string).toLowerCase() : (v as string))));
}

function compileField(detection: string, key: string, raw: unknown): RecordMatcher {
  const [field, ...modifiers] = key.split('|');
  if (!field) throw new Error(`detection "${detection}": empty field name in "${key}"`);
  for (const m of modifiers) if (!SUPPORTED.has(m)) throw new SigmaUnsupportedError(`modifier "${m}" (in ${detection}: ${key})`);
  const read = compilePath(field);
  const values = Array.isArray(raw) ? raw : [raw];
  const mods = new Set(modifiers);

  if (mods.has('exists')) {
    const want = values[0] === true || String(values[0]).toLowerCase() === 'true';
    return (r) => read(r).some(isPresent) === want;
  }
  if (values.length === 0) throw new Error(`detection "${detection}": ${key} has an empty list`);
  const tests = values.map((v) => valueTest(detection, key, v, mods));
  const all = mods.has('all');
  return (r) => {
    const found = read(r);
    const holds = (t: ValueTest) => (t === NULL_TEST ? !found.some(isPresent) : found.some((v) => t(v, r)));
    return all ? tests.every(holds) : tests.some(holds);
  };
}

const NULL_TEST: ValueTest = () => false;

function valueTest(detection: string, key: string, want: unknown, mods: Set<string>): ValueTest {
  if (want === null) return NULL_TEST;
  if (mods.has('fieldref')) {
    const other = compilePath(String(want));
    const fold = mods.has('cased') ? (s: string) => s : (s: string) => s.toLowerCase();
    return (v, r) => { const s = text(v); return s !== undefined && other(r).some((o) => text(o) !== undefined && fold(text(o)!) === fold(s)); };
  }
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (!mods.has(op)) continue;
    const bound = Number(want);
    if (Number.isNaN(bound)) throw new Error(`detection "${detection}": ${key} needs a number`);
    const cmp = { gt: (a: number) => a > bound, gte: (a: number) => a >= bound, lt: (a: number) => a < bound, lte: (a: number) => a <= bound }[op];
    return (v) => { const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN; return !Number.isNaN(n) && cmp(n); };
  }
  if (mods.has('cidr')) {
    const set = compileCidrs([String(want)]);
    return (v) => typeof v === 'string' && set.has(v);
  }
  if (mods.has('re')) {
    let re;
    try {
      re = compileRuleRegex(String(want), { ignoreCase: mods.has('i'), multiline: mods.has('m'), dotAll: mods.has('s') });
    } catch (err) {
      if (err instanceof RuleRegexError && err.unsupported) throw new SigmaUnsupportedError(`${err.message} (in ${detection}: ${key})`, { cause: err });
      throw new Error(`detection "${detection}": invalid regex in ${key}: ${(err as Error).message}`, { cause: err });
    }
    return (v) => { const s = text(v); return s !== undefined && re.test(s); };
  }
  const pattern = typeof want === 'string' ? want : String(want);
  // A base64 value is matched as it is: its `*` and `?` are not wildcards.
  const segments = mods.has('base64') ? [btoa(String.fromCharCode(...new TextEncoder().encode(pattern))).split('')] : globSegments(pattern);
  const contains = mods.has('contains');
  const starts = mods.has('startswith');
  const ends = mods.has('endswith');
  const cased = mods.has('cased');
  if (segments.length === 1 && !segments[0]!.includes(ANY) && !contains && !starts && !ends) {
    const literal = segments[0]!.join('');
    const exact = cased ? literal : literal.toLowerCase();
    return cased ? (v) => text(v) === exact : (v) => text(v)?.toLowerCase() === exact;
  }
  const glob = compileWildcard(segments, { ignoreCase: !cased, anchorStart: !(contains || ends), anchorEnd: !(contains || starts) });
  return (v) => { const s = text(v); return s !== undefined && glob.test(s); };
}

/** Keyword lists search every string in the record, compared without case. */
function keywordMatcher(words: readonly unknown[]): RecordMatcher {
  const globs = words.map((w) => compileWildcard(globSegments(String(w).toLowerCase()), { anchorStart: false, anchorEnd: false }));
  return (r) => {
    const strings: string[] = [];
    collectStrings(r, strings);
    // Lower-cased once per record, not once per keyword.
    const lower = strings.map((s) => s.toLowerCase());
    return globs.some((g) => lower.some((s) => g.test(s)));
  };
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out);
}

/** Sigma wildcards to segments: `*` any run, `?` one character, a backslash escapes `*`, `?` and itself. */
function globSegments(pattern: string): Segment[] {
  const segments: Array<Array<string | typeof ANY>> = [[]];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const current = segments[segments.length - 1]!;
    if (c === '\\' && i + 1 < pattern.length && '*?\\'.includes(pattern[i + 1]!)) current.push(pattern[++i]!);
    else if (c === '*') segments.push([]);
    else if (c === '?') current.push(ANY);
    else current.push(c);
  }
  return segments;
}

function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OR of constraints: any side unconstrained leaves the union unconstrained. */
export function unionKeys(parts: readonly KeyConstraint[]): KeyConstraint {
  const union = (pick: (k: KeyConstraint) => ReadonlySet<string> | undefined) =>
    parts.every((p) => pick(p)) ? new Set(parts.flatMap((p) => [...pick(p)!])) : undefined;
  const sources = union((k) => k.sources);
  const names = union((k) => k.names);
  return { ...(sources && { sources }), ...(names && { names }) };
}

/** AND of constraints: each side narrows the other. */
export function intersectKeys(parts: readonly KeyConstraint[]): KeyConstraint {
  const meet = (pick: (k: KeyConstraint) => ReadonlySet<string> | undefined) => {
    let out: Set<string> | undefined;
    for (const p of parts) {
      const s = pick(p);
      if (!s) continue;
      out = out ? new Set([...out].filter((x) => s.has(x))) : new Set(s);
    }
    return out;
  };
  const sources = meet((k) => k.sources);
  const names = meet((k) => k.names);
  return { ...(sources && { sources }), ...(names && { names }) };
}
