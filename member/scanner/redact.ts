/**
 * Redaction of matched values. Everything the scanner reports about a value goes through here: a
 * masked preview that shows at most four characters at each end (`AKIA****WXYZ`), fewer for short
 * values and none for values under five characters, and a short hash for telling equal values apart.
 */
import { createHash } from 'node:crypto';

const MASK = '****';
const MAX_VISIBLE_EACH_SIDE = 4;

/** The masked preview of a value: `AKIAIOSFODNN7EXAMPLE` becomes `AKIA****MPLE`. */
export function maskValue(value: string): string {
  // One fifth of the value at most, so a short password shows at most a character at each end.
  const visible = Math.min(MAX_VISIBLE_EACH_SIDE, Math.floor(value.length / 5));
  if (visible === 0) return MASK;
  return printable(value.slice(0, visible)) + MASK + printable(value.slice(-visible));
}

/**
 * The first 12 hex digits of the value's SHA-256, to tell equal values apart across objects. A weak
 * password could still be guessed and checked against it, so it goes only where the finding goes.
 */
export function shortHash(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/** Control and non-ASCII characters would garble a log line or a Slack message: show them as dots. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}
