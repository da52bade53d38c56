/**
 * What a first-seen key remembers: since when it has been learned (its earliest event), and each
 * value with the first and last time it was seen. Pure functions over the stored record; merging
 * two records gives the same result in any order, so concurrent writers and events that arrive out
 * of time order converge on one history.
 */
import { compareTimes, earlierTime, laterTime } from '../decode/event-time.js';

/** The most values one key keeps; past it the values seen longest ago are dropped. */
export const MAX_VALUES_PER_KEY = 500;

/** One key's history, as stored (`seen/<rule>/<digest>`). */
export interface SeenRecord {
  /** The rendered key, for `skywatch baselines`. */
  readonly key: string;
  /** The earliest event time learned for the key (ISO 8601). */
  readonly since: string;
  /** Value -> [first, last] event times (ISO 8601). */
  readonly values: Readonly<Record<string, readonly [string, string]>>;
}

/**
 * How much later a sighting must be than a value's stored last one to be written: forgetting is
 * measured in days, and a history that changes with every event would be rewritten with every batch.
 */
export const LAST_SEEN_PRECISION_MS = 3_600_000;

/** The record after one more sighting; the same record when the sighting changes nothing worth storing. */
export function withSighting(record: SeenRecord | undefined, key: string, value: string, time: string): SeenRecord {
  const known = record?.values[value];
  if (record && known) {
    const earlier = compareTimes(time, known[0]) < 0;
    const later = Date.parse(time) - Date.parse(known[1]) >= LAST_SEEN_PRECISION_MS;
    if (!earlier && !later) return record;
  }
  const seen: [string, string] = known ? [minTime(known[0], time), maxTime(known[1], time)] : [time, time];
  return bounded({ key, since: record ? minTime(record.since, time) : time, values: { ...record?.values, [value]: seen } });
}

/** Both records' histories in one: the earliest `since`, each value's earliest first and latest last. */
export function mergeRecords(a: SeenRecord, b: SeenRecord): SeenRecord {
  const values: Record<string, readonly [string, string]> = { ...a.values };
  for (const [value, [first, last]] of Object.entries(b.values)) {
    const mine = values[value];
    values[value] = mine ? [minTime(mine[0], first), maxTime(mine[1], last)] : [first, last];
  }
  return bounded({ key: a.key, since: minTime(a.since, b.since), values });
}

/** The values seen before, most recently seen first, at most `limit`. */
export function recentValues(record: SeenRecord, limit: number): Array<{ value: string; first: string; last: string }> {
  return Object.entries(record.values)
    .sort((x, y) => compareTimes(y[1][1], x[1][1]) || byText(x[0], y[0]))
    .slice(0, limit)
    .map(([value, [first, last]]) => ({ value, first, last }));
}

function bounded(record: SeenRecord): SeenRecord {
  const entries = Object.entries(record.values);
  if (entries.length <= MAX_VALUES_PER_KEY) return record;
  const kept = entries.sort((x, y) => compareTimes(y[1][1], x[1][1]) || byText(x[0], y[0])).slice(0, MAX_VALUES_PER_KEY);
  return { ...record, values: Object.fromEntries(kept) };
}

// Times compare as instants (`…:51Z` and `…:51.5Z` sort wrongly as text); values in code unit order.
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const minTime = earlierTime;
const maxTime = laterTime;
