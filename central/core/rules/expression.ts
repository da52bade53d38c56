/** Compiles match expressions into plain functions once, at load time. */
import type { SecurityEvent } from '../event.js';
import { compileCidrs } from '../net/cidr.js';
import { compilePath, isPresent } from './path.js';
import { compilePredicate } from './predicates/index.js';
import { compileRuleRegex, RuleRegexError } from './safe-regex.js';
import type { Condition, Except, Expression } from './schema.js';

/** A compiled expression. */
export type Matcher = (event: unknown) => boolean;

/** A part of an expression that cannot compile, with where it sits in the rule file (for its line). */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(message: string, readonly at: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Compiles an expression; throws ExpressionError with the offending part when it cannot (an invalid
 * or unsupported regex, a bad CIDR, an unknown predicate). `at` is the expression's place in the file.
 */
export function compileExpression(expr: Expression, at: readonly string[] = ['match']): Matcher {
  if ('all' in expr) {
    const parts = expr.all.map((p, i) => compileExpression(p, [...at, 'all', String(i)]));
    return (e) => parts.every((p) => p(e));
  }
  if ('any' in expr) {
    const parts = expr.any.map((p, i) => compileExpression(p, [...at, 'any', String(i)]));
    return (e) => parts.some((p) => p(e));
  }
  if ('not' in expr) {
    const inner = compileExpression(expr.not, [...at, 'not']);
    return (e) => !inner(e);
  }
  try {
    if ('predicate' in expr) {
      const predicate = compilePredicate(expr.predicate);
      // Rule expressions only ever see normalized events.
      return (e) => predicate(e as SecurityEvent);
    }
    return compileCondition(expr);
  } catch (err) {
    const key = 'predicate' in expr ? 'predicate' : expr.regex !== undefined ? 'regex' : expr.except?.regex !== undefined ? 'except' : 'path';
    throw new ExpressionError((err as Error).message, [...at, key], { cause: err });
  }
}

type ValueTest = (value: unknown) => boolean;

/** A condition holds when one value at its path passes every operator (`exists: false`: no value). */
function compileCondition(c: Condition): Matcher {
  const read = compilePath(c.path);
  const tests = valueTests(c, c.path);
  // Runs for every candidate event: no intermediate arrays.
  if (c.exists === false) {
    return (e) => {
      for (const v of read(e)) if (isPresent(v)) return false;
      return true;
    };
  }
  if (tests.length === 0) {
    return (e) => {
      for (const v of read(e)) if (isPresent(v)) return true;
      return false;
    };
  }
  return (e) => {
    for (const v of read(e)) {
      let ok = true;
      for (let i = 0; ok && i < tests.length; i++) ok = tests[i]!(v);
      if (ok) return true;
    }
    return false;
  };
}

/** The tests one value must pass; `path` is for messages. */
function valueTests(c: Except & { readonly except?: Except }, path: string): ValueTest[] {
  const fold = c.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const text = (v: unknown) => (v === null || v === undefined || typeof v === 'object' ? undefined : fold(String(v)));
  const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]).map(fold);
  const tests: ValueTest[] = [];
  if (c.equals !== undefined) {
    const want = c.equals === null ? null : fold(String(c.equals));
    tests.push((v) => (want === null ? v === null : text(v) === want));
  }
  if (c.in) {
    const set = new Set(c.in.map((x) => (x === null ? 'null' : fold(String(x)))));
    tests.push((v) => set.has(v === null ? 'null' : (text(v) ?? '\u0000')));
  }
  if (c.prefix) {
    const ps = list(c.prefix);
    tests.push((v) => { const s = text(v); return s !== undefined && ps.some((p) => s.startsWith(p)); });
  }
  if (c.suffix) {
    const ss = list(c.suffix);
    tests.push((v) => { const s = text(v); return s !== undefined && ss.some((p) => s.endsWith(p)); });
  }
  if (c.contains) {
    const cs = list(c.contains);
    tests.push((v) => { const s = text(v); return s !== undefined && cs.some((p) => s.includes(p)); });
  }
  if (c.regex) {
    let re;
    try {
      re = compileRuleRegex(c.regex, { ignoreCase: c.ignoreCase });
    } catch (err) {
      if (err instanceof RuleRegexError) throw new Error(`${err.unsupported ? 'unsupported' : 'invalid'} regex at ${path}: ${err.message}`, { cause: err });
      throw err;
    }
    tests.push((v) => { const s = v === null || v === undefined || typeof v === 'object' ? undefined : String(v); return s !== undefined && re.test(s); });
  }
  if (c.cidr) {
    const set = compileCidrs(Array.isArray(c.cidr) ? c.cidr : [c.cidr]);
    tests.push((v) => typeof v === 'string' && set.has(v));
  }
  for (const [op, cmp] of [['gt', (a: number, b: number) => a > b], ['gte', (a: number, b: number) => a >= b], ['lt', (a: number, b: number) => a < b], ['lte', (a: number, b: number) => a <= b]] as const) {
    const bound = c[op];
    if (bound !== undefined) {
      tests.push((v) => { const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN; return !Number.isNaN(n) && cmp(n, bound); });
    }
  }
  if (c.except) {
    // The exception compares as the condition does unless it says otherwise.
    const others = valueTests({ ignoreCase: c.ignoreCase, ...c.except }, `${path} (except)`);
    tests.push((v) => isPresent(v) && !others.every((t) => t(v)));
  }
  return tests;
}
