/**
 * When a correlation matches, as a pure function of one group's observations: no state, no clock.
 *
 * Windows slide in event time. For an observation e of the group, W(e) is the group's observations
 * with time in (t_e - timespan, t_e]: the timespan up to and including e, excluding an observation
 * exactly one timespan earlier. W(e) qualifies when
 * - event_count: it holds at least `minimum` observations;
 * - value_count: its observations hold at least `minimum` distinct values of the rule's field;
 * - temporal: at least `minimum` distinct `rules:` entries are matched in it (by default all);
 * - temporal_ordered: the first `minimum` entries (by default all) occur in it in the listed order,
 *   as a subsequence by time, where observations at the same instant count as in order.
 *
 * A match is identified by the bucket of the event that completes it: bucket b = floor(t / timespan),
 * buckets aligned to the Unix epoch in UTC (a 1h rule has one bucket per clock hour, a 1d rule one
 * per UTC day, a 7d rule one per week from Thursday, the epoch's weekday). The match (rule, group, b) exists when some e in bucket b has a qualifying W(e), and
 * its content is the union of those W(e). W(e) reaches back up to one timespan before e, so a burst
 * at 12:50, 12:55 and 13:05 is caught, in bucket 13:00, whatever the hour boundary does. Since every
 * condition only grows as observations are added, the content is a function of the set of
 * observations alone: the order they arrived in changes neither which matches exist nor what they
 * finally hold.
 *
 * Adding an observation x can only change W(e) for e with t_e in [t_x, t_x + timespan), so only
 * the (at most two) buckets overlapping that interval need evaluating again: bucketsTouched.
 */
import type { CompiledCorrelation } from './compile.js';
import type { StoredObservation } from './observation.js';

/** What evaluation reads of a rule. */
export type WindowRule = Pick<CompiledCorrelation, 'type' | 'minimum' | 'timespanMs'>;

/** A group's observations in time order (ties by id, so the order is a function of the set), with their instants. */
export interface Timeline {
  readonly observations: readonly StoredObservation[];
  /** Epoch milliseconds of each observation, same order. */
  readonly times: readonly number[];
}

/** Sorts a group's observations by time, then id. */
export function timelineOf(observations: readonly StoredObservation[]): Timeline {
  const timed = observations.map((o) => ({ o, t: Date.parse(o.time) }));
  timed.sort((a, b) => a.t - b.t || (a.o.id < b.o.id ? -1 : a.o.id > b.o.id ? 1 : 0));
  return { observations: timed.map((x) => x.o), times: timed.map((x) => x.t) };
}

/** The bucket of an instant: floor(t / timespan), counted from the Unix epoch. */
export function bucketOf(ms: number, timespanMs: number): number {
  return Math.floor(ms / timespanMs);
}

/** The buckets whose match an observation at `ms` can change: those overlapping [ms, ms + timespan). */
export function bucketsTouched(ms: number, timespanMs: number): number[] {
  const first = bucketOf(ms, timespanMs);
  const last = bucketOf(ms + timespanMs - 1, timespanMs);
  return first === last ? [first] : [first, last];
}

/**
 * The content of the rule's match in `bucket` (the union of the qualifying windows of the bucket's
 * observations, in time order), or undefined when there is none.
 */
export function matchInBucket(rule: WindowRule, timeline: Timeline, bucket: number): StoredObservation[] | undefined {
  const { times, observations } = timeline;
  const span = rule.timespanMs;
  const start = bucket * span;
  let e = firstAtOrAfter(times, start);
  const end = firstAtOrAfter(times, start + span);
  if (e >= end) return undefined;
  const window = new SlidingWindow(rule, observations);
  let lo = firstAtOrAfter(times, times[e]! - span + 1);
  let hi = lo - 1;
  /** Qualifying windows as index ranges; both ends only move forward, so they merge as they come. */
  const covered: Array<[number, number]> = [];
  while (e < end) {
    const t = times[e]!;
    // Every observation at t shares W(e): evaluate each instant once.
    while (hi + 1 < times.length && times[hi + 1]! <= t) window.add(++hi);
    while (times[lo]! <= t - span) window.remove(lo++);
    if (window.qualifies(lo, hi, times)) {
      const last = covered[covered.length - 1];
      if (last && lo <= last[1] + 1) last[1] = hi;
      else covered.push([lo, hi]);
    }
    e = hi + 1;
  }
  if (covered.length === 0) return undefined;
  return covered.flatMap(([from, to]) => observations.slice(from, to + 1));
}

/** The index of the first time at or after `ms` (times sorted). */
function firstAtOrAfter(times: readonly number[], ms: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The window's counts, kept up to date as its ends move, so a bucket is evaluated in one pass: a
 * multiset of values (value_count) or of matched entries (temporal). temporal_ordered depends on
 * the order inside the window and scans it.
 */
class SlidingWindow {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly rule: WindowRule,
    private readonly observations: readonly StoredObservation[],
  ) {}

  add(index: number): void {
    for (const key of this.keysOf(index)) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  remove(index: number): void {
    for (const key of this.keysOf(index)) {
      const left = this.counts.get(key)! - 1;
      if (left === 0) this.counts.delete(key);
      else this.counts.set(key, left);
    }
  }

  qualifies(lo: number, hi: number, times: readonly number[]): boolean {
    const { type, minimum } = this.rule;
    switch (type) {
      case 'event_count':
        return hi - lo + 1 >= minimum;
      case 'value_count':
      case 'temporal':
        return this.counts.size >= minimum;
      case 'temporal_ordered':
        return this.inOrder(lo, hi, times);
    }
  }

  private keysOf(index: number): readonly string[] {
    const o = this.observations[index]!;
    if (this.rule.type === 'value_count') return o.values ?? [];
    if (this.rule.type === 'temporal') return [String(o.ref)];
    return [];
  }

  /**
   * Whether entries 0 .. minimum-1 occur in order in [lo, hi]. Taking each entry at the earliest
   * instant it can go is never worse than a later one; entries at one instant may come in any
   * order, so at each instant every next entry present there is taken.
   */
  private inOrder(lo: number, hi: number, times: readonly number[]): boolean {
    const { minimum } = this.rule;
    let next = 0;
    for (let i = lo; i <= hi && next < minimum; ) {
      const present = new Set<number>();
      const t = times[i]!;
      for (; i <= hi && times[i] === t; i++) present.add(this.observations[i]!.ref);
      while (next < minimum && present.has(next)) next++;
    }
    return next >= minimum;
  }
}
