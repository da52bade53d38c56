/**
 * The cross-account correlation engine: observations in, correlation matches out, state through
 * the StateStore port so Lambda (DynamoDB) and a laptop (a local file) run the same code.
 *
 * What a match is (windows.ts has the detail): windows slide in event time; W(e) is a group's
 * observations in (t_e - timespan, t_e]; a match is identified by (rule, group, bucket of the
 * completing event), buckets being timespan-long and aligned to the Unix epoch in UTC; its content
 * is the union of the qualifying windows of the bucket's events. That is a function of the set of
 * observations alone, so arrival order, batching and redelivery change neither which matches exist
 * nor, by the end, what they hold.
 *
 * How observe() gets there:
 * - An observation joins a rule when it matches one of the rule's `rules:` entries (refOf, checked
 *   first, so the many observations no rule names cost a scan of names) and has every group-by
 *   value; it joins one group per combination of values (at most MAX_GROUPS_PER_OBSERVATION).
 * - Each (rule, group) has one state value: its observations, reduced to StoredObservation, sorted
 *   by time. Observations are counted once per group by `Observation.id`, so a redelivered event or
 *   a replayed file adds nothing and writes nothing.
 * - The value is read, changed and written with the version it was read at; a write that loses to
 *   another writer (another Lambda, another replay) re-reads and re-applies, up to MAX_ATTEMPTS
 *   times, then CorrelationStateConflictError. Two engines over one store thus end with the union.
 * - Adding x can only change the buckets overlapping [t_x, t_x + timespan); those are evaluated
 *   before and after the change and every match whose content differs is returned, with the content
 *   it now has: a match is returned when created and again each time it grows.
 *
 * Bounds, per (rule, group):
 * - at most `maxPerGroup` observations (default 500), the oldest evicted first;
 * - none older than the group's newest minus (timespan + `horizonMs`) (horizon default 7 days).
 * While a group stays under maxPerGroup, results are exact for every observation whose time is at
 * most `horizonMs` behind the newest of its group, however late it arrives: its windows' neighbours
 * are all still kept. One further behind may find neighbours pruned; one more than timespan +
 * horizon behind is dropped on arrival. Only the buckets an insert touches are reported: a match
 * that pruning or eviction shrinks elsewhere is not reported again, and none is ever retracted.
 *
 * The state key is `corr/<rule id>/<32 hex of sha256>` over the group's values and what the stored
 * observations depend on (type, `rules:`, group-by, field, aliases): an edited rule starts afresh
 * instead of reading observations whose ref indices or values meant something else.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../ports.js';
import { MAX_CONDITION_COUNT, type CompiledCorrelation } from './compile.js';
import { valuesOf } from './fields.js';
import type { Observation, StoredObservation } from './observation.js';
import { bucketsTouched, matchInBucket, timelineOf, type Timeline } from './windows.js';

/** A correlation that holds: one rule, one group, one bucket, and what it is made of. */
export interface CorrelationMatch {
  readonly rule: CompiledCorrelation;
  /** Group-by name -> value. */
  readonly group: Readonly<Record<string, string>>;
  /** The bucket of the completing events, RFC 3339: [windowStart, windowEnd). Content may start up to one timespan earlier. */
  readonly windowStart: string;
  readonly windowEnd: string;
  /** The finding's content, in time order. */
  readonly observations: readonly StoredObservation[];
  /** The content's accounts, sorted, each once. */
  readonly accounts: readonly string[];
}

/** The bounds of correlation state. */
export interface CorrelationEngineOptions {
  /** Observations kept per rule and group, the oldest evicted first; default 500. */
  readonly maxPerGroup?: number;
  /** How late (event time, behind the group's newest) an observation may arrive and still be evaluated exactly; default 7 days. */
  readonly horizonMs?: number;
  /**
   * Also return, unchanged, the matches of the buckets an observation the group already holds
   * touches (a redelivery still writes nothing). For a caller whose record of what it reported can
   * lag the state: the detector saves state, then puts findings; when the put fails, SQS redelivers
   * the events and the match must come again (its ledger drops what was already counted). Default false.
   */
  readonly reportRepeated?: boolean;
}

/** State that kept changing under this engine: other writers won every attempt. */
export class CorrelationStateConflictError extends Error {
  override readonly name = 'CorrelationStateConflictError';
  constructor(
    readonly ruleId: string,
    readonly key: string,
    readonly attempts: number,
  ) {
    super(`correlation rule ${ruleId}: state ${key} changed under every one of ${attempts} attempts to update it`);
  }
}

/** Read-modify-write attempts per state value before giving up. */
export const MAX_ATTEMPTS = 5;
/** State values updated at once: enough to hide a database's latency, few enough not to flood it. */
const PARALLEL_UPDATES = 8;
const DEFAULT_HORIZON_MS = 7 * 86_400_000;

/** One (rule, group)'s share of a batch. */
interface Pending {
  readonly rule: CompiledCorrelation;
  readonly group: Readonly<Record<string, string>>;
  readonly key: string;
  readonly incoming: Map<string, StoredObservation>;
}

/** Correlates observations across accounts; see the module comment for what a match is. */
export class CorrelationEngine {
  private readonly maxPerGroup: number;
  private readonly horizonMs: number;
  private readonly reportRepeated: boolean;
  /** Per rule, the part of its state key that depends on the rule's definition. */
  private readonly fingerprints = new Map<CompiledCorrelation, string>();

  constructor(
    private readonly rules: readonly CompiledCorrelation[],
    private readonly state: StateStore,
    options: CorrelationEngineOptions = {},
  ) {
    this.maxPerGroup = options.maxPerGroup ?? MAX_CONDITION_COUNT;
    this.horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
    this.reportRepeated = options.reportRepeated ?? false;
    if (!Number.isInteger(this.maxPerGroup) || this.maxPerGroup < 1) throw new RangeError(`maxPerGroup must be a positive integer, not ${this.maxPerGroup}`);
    if (!Number.isFinite(this.horizonMs) || this.horizonMs < 0) throw new RangeError(`horizonMs must be a finite number of milliseconds, zero or more, not ${this.horizonMs}`);
    const ids = new Set<string>();
    for (const rule of rules) {
      if (ids.has(rule.id)) throw new Error(`two correlation rules have the id ${rule.id}: they would share state`);
      ids.add(rule.id);
      if (rule.type === 'event_count' && rule.minimum > this.maxPerGroup) {
        throw new RangeError(`correlation rule ${rule.id} needs ${rule.minimum} observations in a window, but a group keeps at most ${this.maxPerGroup}`);
      }
      this.fingerprints.set(rule, JSON.stringify([rule.type, rule.refs, rule.groupBy, rule.field ?? null, rule.aliases]));
    }
  }

  /** Adds observations and returns every match whose content they changed (or created). */
  async observe(observations: readonly Observation[]): Promise<CorrelationMatch[]> {
    const pending = new Map<string, Pending>();
    for (const observation of observations) {
      for (const rule of this.rules) {
        const ref = rule.refOf(observation);
        if (ref < 0) continue;
        const groups = rule.groupsOf(observation);
        if (groups.length === 0) continue;
        const stored = storedOf(rule, observation, ref);
        for (const group of groups) {
          const key = this.keyOf(rule, group);
          let share = pending.get(key);
          if (!share) pending.set(key, (share = { rule, group, key, incoming: new Map() }));
          if (!share.incoming.has(stored.id)) share.incoming.set(stored.id, stored);
        }
      }
    }
    const shares = [...pending.values()];
    const results: CorrelationMatch[][] = new Array(shares.length);
    let next = 0;
    const worker = async () => {
      while (next < shares.length) {
        const i = next++;
        results[i] = await this.update(shares[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPDATES, shares.length) }, worker));
    return results.flat();
  }

  /** Adds a share to its group's state and returns the matches it changed. */
  private async update({ rule, group, key, incoming }: Pending): Promise<CorrelationMatch[]> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.state.get<StoredObservation[]>(key);
      const before = timelineOf(current?.value ?? []);
      const known = new Set(before.observations.map((o) => o.id));
      const added = [...incoming.values()].filter((o) => !known.has(o.id));
      const repeated = this.reportRepeated ? [...incoming.values()].filter((o) => known.has(o.id)) : [];
      if (added.length === 0) return this.currentMatches(rule, group, before, repeated, new Set());
      const after = this.bounded(rule, timelineOf([...before.observations, ...added]));
      // Everything added was at once pruned or evicted: nothing changed, nothing to write.
      if (sameIds(after.observations, before.observations)) return this.currentMatches(rule, group, before, repeated, new Set());
      if (!(await this.state.put(key, after.observations, current?.version))) continue;
      const changed = this.changedMatches(rule, group, before, after, added);
      return [...changed, ...this.currentMatches(rule, group, after, repeated, new Set(changed.map((m) => m.windowStart)))];
    }
    throw new CorrelationStateConflictError(rule.id, key, MAX_ATTEMPTS);
  }

  /** The group's observations within the bounds: the horizon first, then the newest maxPerGroup. */
  private bounded(rule: CompiledCorrelation, { observations, times }: Timeline): Timeline {
    const oldest = times[times.length - 1]! - (rule.timespanMs + this.horizonMs);
    const from = Math.max(times.findIndex((t) => t >= oldest), observations.length - this.maxPerGroup);
    return { observations: observations.slice(from), times: times.slice(from) };
  }

  /** The matches in the buckets the added observations touch whose content differs from before. */
  private changedMatches(rule: CompiledCorrelation, group: Readonly<Record<string, string>>, before: Timeline, after: Timeline, added: readonly StoredObservation[]): CorrelationMatch[] {
    const buckets = new Set(added.flatMap((o) => bucketsTouched(Date.parse(o.time), rule.timespanMs)));
    const matches: CorrelationMatch[] = [];
    for (const bucket of [...buckets].sort((a, b) => a - b)) {
      const content = matchInBucket(rule, after, bucket);
      if (!content) continue;
      const previous = matchInBucket(rule, before, bucket);
      if (previous && sameIds(previous, content)) continue;
      matches.push(matchOf(rule, group, bucket, content));
    }
    return matches;
  }

  /** The matches, as they stand, in the buckets the repeated observations touch (except those in `skip`, by window start). */
  private currentMatches(rule: CompiledCorrelation, group: Readonly<Record<string, string>>, timeline: Timeline, repeated: readonly StoredObservation[], skip: ReadonlySet<string>): CorrelationMatch[] {
    if (repeated.length === 0) return [];
    const buckets = new Set(repeated.flatMap((o) => bucketsTouched(Date.parse(o.time), rule.timespanMs)));
    const matches: CorrelationMatch[] = [];
    for (const bucket of [...buckets].sort((a, b) => a - b)) {
      const windowStart = new Date(bucket * rule.timespanMs).toISOString();
      if (skip.has(windowStart)) continue;
      const content = matchInBucket(rule, timeline, bucket);
      if (content) matches.push(matchOf(rule, group, bucket, content));
    }
    return matches;
  }

  private keyOf(rule: CompiledCorrelation, group: Readonly<Record<string, string>>): string {
    const values = JSON.stringify(rule.groupBy.map((name) => group[name]));
    const digest = createHash('sha256').update(`${this.fingerprints.get(rule)!}\u0000${values}`).digest('hex').slice(0, 32);
    return `corr/${rule.id}/${digest}`;
  }
}

/**
 * What state keeps of an observation for one rule. Its time must be an instant (the decoders check
 * event times at the edge); one that is not would corrupt every window of its group, so it throws.
 */
function storedOf(rule: CompiledCorrelation, o: Observation, ref: number): StoredObservation {
  if (Number.isNaN(Date.parse(o.time))) throw new TypeError(`observation ${o.id}: time "${o.time}" is not an RFC 3339 instant`);
  const values = rule.field === undefined ? undefined : valuesOf(o, rule.field, rule.refs[ref]!, rule.aliases);
  return {
    id: o.id,
    time: o.time,
    account: o.account,
    label: o.label,
    severity: o.severity,
    summary: o.summary,
    ref,
    ...(values !== undefined && { values }),
    ...(o.finding !== undefined && { finding: o.finding }),
  };
}

function matchOf(rule: CompiledCorrelation, group: Readonly<Record<string, string>>, bucket: number, content: readonly StoredObservation[]): CorrelationMatch {
  return {
    rule,
    group,
    windowStart: new Date(bucket * rule.timespanMs).toISOString(),
    windowEnd: new Date((bucket + 1) * rule.timespanMs).toISOString(),
    observations: content,
    accounts: [...new Set(content.map((o) => o.account))].sort(),
  };
}

function sameIds(a: readonly StoredObservation[], b: readonly StoredObservation[]): boolean {
  return a.length === b.length && a.every((o, i) => o.id === b[i]!.id);
}
