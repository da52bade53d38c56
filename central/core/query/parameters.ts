/**
 * Positional parameters: counting the `?` placeholders of a statement and rendering a value as the
 * SQL literal Athena substitutes for one. Athena's ExecutionParameters are strings that replace each
 * `?` as a literal, so a string must arrive quoted (`'...'`, inner quotes doubled) and a number bare;
 * anything else would be read as SQL.
 */
import type { SqlQuery } from '../ports.js';

/** The `?` placeholders in `sql`, skipping string literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  let count = 0;
  for (let i = 0; i < sql.length; i++) {
    const skipped = skipQuotedOrComment(sql, i);
    if (skipped !== i) i = skipped;
    else if (sql[i] === '?') count++;
  }
  return count;
}

/**
 * Where a string literal, quoted identifier or comment starting at `i` ends (its last character), or
 * `i` itself when none starts there: what a scanner of SQL code must step over.
 */
export function skipQuotedOrComment(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') return closing(sql, i, c);
  if (c === '-' && sql[i + 1] === '-') return lineEnd(sql, i);
  if (c === '/' && sql[i + 1] === '*') return blockEnd(sql, i);
  return i;
}

// A doubled quote inside a literal stands for one quote and does not close it.
function closing(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) i++;
    else return i;
  }
  return sql.length;
}

const lineEnd = (sql: string, start: number): number => {
  const end = sql.indexOf('\n', start);
  return end < 0 ? sql.length : end;
};

const blockEnd = (sql: string, start: number): number => {
  const end = sql.indexOf('*/', start + 2);
  return end < 0 ? sql.length : end + 1;
};

/** Why a query's parameters cannot be bound, or undefined when they can. */
export function parameterProblem(query: SqlQuery): string | undefined {
  const placeholders = countPlaceholders(query.sql);
  if (placeholders !== query.parameters.length) return `the statement has ${placeholders} placeholders but ${query.parameters.length} parameters were given`;
  for (const [i, value] of query.parameters.entries()) {
    if (typeof value === 'number' && !Number.isFinite(value)) return `parameter ${i + 1} is ${value}, not a finite number`;
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return `parameter ${i + 1} is an integer beyond 2^53; pass it as a string`;
    if (typeof value !== 'number' && typeof value !== 'string') return `parameter ${i + 1} is a ${typeof value}, not a string or number`;
  }
  return undefined;
}

/**
 * The literal for one value: `'it''s'` for a string, `42` for a safe integer, `1.5E+0` (a DOUBLE,
 * as DuckDB binds a fractional JS number) for any other number.
 */
export function sqlLiteral(value: string | number): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (!Number.isFinite(value)) throw new RangeError(`${value} has no SQL literal`);
  // String(1e21) is '1e+21': only safe integers are written out digit by digit.
  if (Number.isSafeInteger(value)) return String(value);
  return value.toExponential().replace('e', 'E');
}
