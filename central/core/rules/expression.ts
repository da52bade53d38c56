/** Compiles match expressions into plain functions once, at load time. */
import { compileCidrs } from '../net/cidr.js';
import { compilePath, isPresent } from './path.js';
import type { Condition, Expression } from './schema.js';

/** A compiled expression. */
export type Matcher = (event: unknown) => boolean;

/** Compiles an expression; throws with the offending part when it cannot (an invalid regex or CIDR). */
export function compileExpression(expr: Expression): Matcher {
  if ('all' in expr) {
    const parts = expr.all.map(compileExpression);
    return (e) => parts.every((p) => p(e));
  }
  if ('any' in expr) {
    const parts = expr.any.map(compileExpression);
    return (e) => parts.some((p) => p(e));
  }
  if ('not' in expr) {
    const inner = compileExpression(expr.not);
    return (e) => !inner(e);
  }
  return compileCondition(expr);
}

type ValueTest = (value: unknown) => boolean;

/** A condition holds when one value at its path passes every operator (`exists: false`: no value). */
function compileCondition(c: Condition): Matcher {
  const read = compilePath(c.path);
  const tests = valueTests(c);
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

function valueTests(c: Condition): ValueTest[] {
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
    let re: RegExp;
    try {
      re = new RegExp(c.regex, c.ignoreCase ? 'i' : '');
    } catch (err) {
      throw new Error(`invalid regex at ${c.path}: ${(err as Error).message}`);
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
  return tests;
}
