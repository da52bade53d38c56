/**
 * One result typing for both engines: column types in lowercase SQL, integers as JS numbers while
 * they are exact and as decimal text beyond 2^53 (a number would silently round them).
 */
import type { QueryValue } from '../ports.js';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'bigint']);
const FLOAT_TYPES = new Set(['real', 'double', 'decimal']);

/** An integer's text as a number when exact, else the text itself. */
export function integerValue(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** The JS value of one cell given as text (Athena's VarCharValue) for a column of `type`; undefined text is NULL. */
export function valueOfText(type: string, text: string | undefined): QueryValue {
  if (text === undefined) return null;
  if (INTEGER_TYPES.has(type)) return integerValue(text);
  if (FLOAT_TYPES.has(type)) return floatValue(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

function floatValue(text: string): number | string {
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  return Number.isNaN(n) ? text : n;
}

/** The base of a parameterised type: `varchar(12)` → `varchar`, `decimal(10,2)` → `decimal`. */
export function baseType(type: string): string {
  return type.toLowerCase().replace(/\(.*$/, '').trim();
}
