/**
 * Sigma conditions: `selection and not 1 of filter_*`, parenthesised, over named detections.
 * Parsed into a small tree once; aggregations (`| count() by x > 5`) and `near` belong to Sigma's
 * correlation rules and are rejected with a reason rather than half-supported.
 */
import { starPattern } from '../../wildcard.js';

/** A parsed condition. */
export type ConditionNode =
  | { readonly op: 'ref'; readonly name: string }
  | { readonly op: 'and' | 'or'; readonly parts: readonly ConditionNode[] }
  | { readonly op: 'not'; readonly part: ConditionNode };

/** Thrown for a condition Skywatch cannot evaluate, with the reason. */
export class SigmaUnsupportedError extends Error {
  override readonly name = 'SigmaUnsupportedError';
}

const TOKEN = /\s*(\(|\)|[A-Za-z0-9_*.\-]+|\||[^\s()]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) tokens.push(m[1]!);
  return tokens;
}

/** Parses a condition over the given detection names; `x of pattern` expands to the names it matches. */
export function parseCondition(text: string, names: readonly string[]): ConditionNode {
  if (text.includes('|')) throw new SigmaUnsupportedError(`aggregation in condition "${text}" (a correlation rule, not a single-event rule)`);
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  const next = () => tokens[pos++];
  const fail = (why: string): never => {
    throw new Error(`invalid condition "${text}": ${why}`);
  };

  /** `operand (op operand)*`, flattened into one node. */
  const chain = (op: 'and' | 'or', operand: () => ConditionNode): ConditionNode => {
    const parts = [operand()];
    while (peek() === op) {
      next();
      parts.push(operand());
    }
    return parts.length === 1 ? parts[0]! : { op, parts };
  };
  const orExpr = (): ConditionNode => chain('or', andExpr);
  const andExpr = (): ConditionNode => chain('and', notExpr);
  const notExpr = (): ConditionNode => {
    if (peek() === 'not') {
      next();
      return { op: 'not', part: notExpr() };
    }
    return primary();
  };
  const primary = (): ConditionNode => {
    const token = next();
    if (token === undefined) return fail('unexpected end');
    if (token === '(') {
      const inner = orExpr();
      if (next() !== ')') fail('missing )');
      return inner;
    }
    const quantifier = token.toLowerCase();
    if (peek() === 'of') {
      next();
      const target = next() ?? fail('missing target after "of"');
      const pattern = starPattern(target);
      const matched = names.filter((n) => (target === 'them' ? !n.startsWith('_') : pattern.test(n)));
      if (matched.length === 0) fail(`"${target}" names no detection`);
      const refs = matched.map((name): ConditionNode => ({ op: 'ref', name }));
      if (quantifier === '1' || quantifier === 'any') return refs.length === 1 ? refs[0]! : { op: 'or', parts: refs };
      if (quantifier === 'all') return refs.length === 1 ? refs[0]! : { op: 'and', parts: refs };
      throw new SigmaUnsupportedError(`quantifier "${token} of" (only "1 of" and "all of")`);
    }
    if (['and', 'or', ')'].includes(quantifier)) fail(`unexpected "${token}"`);
    if (quantifier === 'near') throw new SigmaUnsupportedError('"near" (a correlation condition)');
    if (!names.includes(token)) fail(`unknown detection "${token}"`);
    return { op: 'ref', name: token };
  };

  const tree = orExpr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]}"`);
  return tree;
}
