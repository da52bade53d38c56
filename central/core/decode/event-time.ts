/**
 * Event times, checked at the edge. A finding copies its events' times into FirstObservedAt and
 * LastObservedAt, and the state keys windows and seen sets by them, so a time that is not a real
 * instant (`2026-02-30`, `yesterday`), far in the past or in the future would corrupt findings and
 * windows. Such a record is reported and skipped; every accepted time is RFC 3339 in UTC.
 */
import { InvalidRecordError } from './input-problem.js';

/** Nothing Skywatch reads predates 2010 (CloudTrail itself started in 2013). */
export const EARLIEST_EVENT_TIME = Date.UTC(2010, 0, 1);
/** How far ahead of the clock an event may be: clocks drift, but a day is not drift. */
export const MAX_AHEAD_MS = 24 * 3_600_000;

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)$/;
/** Exports from data lakes and SIEMs (Athena, Panther) write `2026-11-03 13:04:51.000000000`, in UTC. */
const SPACED_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]00:?00)?$/;

/**
 * The instant of a time field as RFC 3339 text (kept as written when it is already UTC with `Z`,
 * else converted to UTC), and its epoch milliseconds. Throws InvalidRecordError naming the field.
 */
export function eventInstant(text: unknown, field: string, now: Date): { time: string; ms: number } {
  if (typeof text !== 'string' || text === '') throw new InvalidRecordError(`record has no ${field}`);
  const spaced = text.charCodeAt(10) === 0x20 ? SPACED_UTC.exec(text) : null;
  // Milliseconds are as fine as JavaScript times go: longer fractions are cut, as before.
  const candidate = spaced ? `${spaced[1]}T${spaced[2]}${spaced[3]?.slice(0, 4) ?? ''}Z` : text;
  const m = RFC3339.exec(candidate);
  if (!m) throw new InvalidRecordError(`${field} "${clip(text)}" is not an RFC 3339 time`);
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  if (!isRealDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new InvalidRecordError(`${field} "${clip(text)}" is not a real date and time`);
  }
  const ms = Date.parse(candidate);
  if (Number.isNaN(ms)) throw new InvalidRecordError(`${field} "${clip(text)}" is not an RFC 3339 time`);
  if (ms < EARLIEST_EVENT_TIME) throw new InvalidRecordError(`${field} ${candidate} is before 2010`);
  if (ms > now.getTime() + MAX_AHEAD_MS) throw new InvalidRecordError(`${field} ${candidate} is more than a day ahead of the clock (${now.toISOString()})`);
  const canonical = zone === 'Z' && candidate[10] === 'T' && (fraction?.length ?? 0) <= 4;
  return { time: canonical ? candidate : new Date(ms).toISOString(), ms };
}

/** Compares two RFC 3339 times as instants (text order differs: `…:51Z` sorts after `…:51.5Z`). */
export function compareTimes(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

/** The earlier of two RFC 3339 times, as instants. */
export function earlierTime(a: string, b: string): string {
  return compareTimes(b, a) < 0 ? b : a;
}

/** The later of two RFC 3339 times, as instants. */
export function laterTime(a: string, b: string): string {
  return compareTimes(b, a) > 0 ? b : a;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
