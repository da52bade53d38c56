/**
 * Stateful rules. The engine matches one event at a time and knows nothing of the past; a rule with
 * a `threshold` or `firstSeen` needs history, kept here through the StateStore port. Hits of such
 * rules pass through `admit`, in event order, before they become findings:
 * - threshold: the hit passes once `count` matching events (or `count` distinct values) share the
 *   rule's `by` key within `window`, measured in event time so a replay counts as the live run did.
 *   The passing hit carries the whole burst as evidence. Event ids are kept, so a redelivered event
 *   is not counted twice.
 * - firstSeen: the hit passes when its value is new for its key (with `learnFirst`, not when the key
 *   itself is new). Values are remembered only in `commit`, after the findings are stored, so a
 *   failed write never loses the first sighting.
 */
import { compareTimes } from '../decode/event-time.js';
import type { StateStore, Versioned } from '../ports.js';
import type { RuleHit } from './engine.js';

/** The member marking that a first-seen key has been seen at all (values are never empty). */
const KEY_SEEN = '';

/** The most events one threshold key remembers, whatever its count. */
const MAX_KEPT = 1_000;
const MAX_ATTEMPTS = 8;

interface Sighting {
  readonly id: string;
  readonly time: string;
  /** The `distinct` value, for distinct-count thresholds. */
  readonly value?: string;
}

/** What `admit` let through, and what to remember once the findings are stored. */
export interface Admitted {
  readonly hits: RuleHit[];
  commit(): Promise<void>;
}

export class RuleGates {
  /**
   * Threshold state this process wrote last, with its version: saves a read per batch. A put that
   * finds another version (another writer got there first) drops the entry and re-reads.
   */
  private readonly cache = new Map<string, Versioned<Sighting[]>>();

  constructor(private readonly state: StateStore) {}

  async admit(hits: readonly RuleHit[]): Promise<Admitted> {
    const passed = new Set<RuleHit>();
    const replaced = new Map<RuleHit, RuleHit>();
    /** Threshold hits grouped by state key, in event order: one read and one write per key and batch. */
    const byKey = new Map<string, RuleHit[]>();
    /** Per first-seen set: the values met in this batch and whether each fires. */
    const firstSightings = new Map<string, Map<string, boolean>>();
    for (const hit of hits) {
      const { rule, event } = hit;
      if (rule.threshold) {
        const key = `threshold/${rule.id}/${rule.threshold.by.render(event, '')}`;
        const group = byKey.get(key);
        if (group) group.push(hit);
        else byKey.set(key, [hit]);
      } else if (rule.firstSeen) {
        const setKey = `firstseen/${rule.id}/${rule.firstSeen.key.render(event, '')}`;
        const value = rule.firstSeen.value.render(event, 'unknown');
        let decided = firstSightings.get(setKey);
        if (!decided?.has(value)) {
          const unseen = await this.state.unseen(setKey, [KEY_SEEN, value]);
          const keyIsNew = unseen.includes(KEY_SEEN) && decided === undefined;
          if (!decided) firstSightings.set(setKey, (decided = new Map([[KEY_SEEN, false]])));
          // A value already stored is old news; a new one fires unless it is the key's first, learned silently.
          decided.set(value, unseen.includes(value) && !(keyIsNew && rule.firstSeen.learnFirst));
        }
        if (decided.get(value)) passed.add(hit);
      } else {
        passed.add(hit);
      }
    }
    for (const [key, group] of byKey) {
      for (const [hit, withBurst] of await this.count(key, group)) {
        passed.add(hit);
        replaced.set(hit, withBurst);
      }
    }
    return {
      hits: hits.filter((h) => passed.has(h)).map((h) => replaced.get(h) ?? h),
      commit: async () => {
        for (const [setKey, values] of firstSightings) await this.state.remember(setKey, [...values.keys()]);
      },
    };
  }

  /**
   * Records a key's hits in order; returns those that reach the threshold, each with the burst
   * behind it as evidence.
   */
  private async count(key: string, hits: readonly RuleHit[]): Promise<Map<RuleHit, RuleHit>> {
    const threshold = hits[0]!.rule.threshold!;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = this.cache.get(key) ?? (await this.state.get<Sighting[]>(key));
      let kept = current?.value ?? [];
      const out = new Map<RuleHit, RuleHit>();
      for (const hit of hits) {
        const { event } = hit;
        const at = Date.parse(event.time);
        const since = at - threshold.windowMs;
        // Keep two windows back, so events that arrive out of order still meet their neighbours.
        kept = kept.filter((s) => Date.parse(s.time) > since - threshold.windowMs);
        if (!kept.some((s) => s.id === event.id)) {
          kept.push({ id: event.id, time: event.time, ...(threshold.distinct && { value: threshold.distinct.render(event, '') }) });
          // Kept sorted by time; only an event that arrives out of order needs a sort.
          if (kept.length > 1 && compareTimes(kept[kept.length - 2]!.time, event.time) > 0) kept.sort((a, b) => compareTimes(a.time, b.time));
        }
        kept = kept.slice(-MAX_KEPT);
        const inWindow = kept.filter((s) => {
          const t = Date.parse(s.time);
          return t > since && t <= at;
        });
        const reached = threshold.distinct ? new Set(inWindow.map((s) => s.value)).size >= threshold.count : inWindow.length >= threshold.count;
        if (reached) out.set(hit, { ...hit, evidence: inWindow.map(({ id, time }) => ({ id, time })) });
      }
      if (await this.state.put(key, kept, current?.version)) {
        this.cache.set(key, { value: kept, version: (current?.version ?? 0) + 1 });
        return out;
      }
      this.cache.delete(key);
    }
    throw new Error(`rule ${hits[0]!.rule.id}: could not update threshold state ${key} after ${MAX_ATTEMPTS} attempts`);
  }
}
