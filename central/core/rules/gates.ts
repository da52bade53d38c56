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
import type { StateStore } from '../ports.js';
import type { RuleHit } from './engine.js';
import type { CompiledThreshold } from './rule.js';

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
  constructor(private readonly state: StateStore) {}

  async admit(hits: readonly RuleHit[]): Promise<Admitted> {
    const out: RuleHit[] = [];
    /** Per first-seen set: the values met in this batch and whether each fires. */
    const firstSightings = new Map<string, Map<string, boolean>>();
    for (const hit of hits) {
      const { rule, event } = hit;
      if (rule.threshold) {
        const passed = await this.count(hit, rule.threshold);
        if (passed) out.push(passed);
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
        if (decided.get(value)) out.push(hit);
      } else {
        out.push(hit);
      }
    }
    return {
      hits: out,
      commit: async () => {
        for (const [setKey, values] of firstSightings) await this.state.remember(setKey, [...values.keys()]);
      },
    };
  }

  /** Records the hit's event under its threshold key; returns the hit (with its burst) once the threshold is met. */
  private async count(hit: RuleHit, threshold: CompiledThreshold): Promise<RuleHit | undefined> {
    const { rule, event } = hit;
    const key = `threshold/${rule.id}/${threshold.by.render(event, '')}`;
    const at = Date.parse(event.time);
    const since = at - threshold.windowMs;
    const sighting: Sighting = { id: event.id, time: event.time, ...(threshold.distinct && { value: threshold.distinct.render(event, '') }) };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.state.get<Sighting[]>(key);
      const kept = (current?.value ?? []).filter((s) => Date.parse(s.time) > since - threshold.windowMs);
      if (!kept.some((s) => s.id === sighting.id)) kept.push(sighting);
      kept.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      const stored = kept.slice(-MAX_KEPT);
      if (!(await this.state.put(key, stored, current?.version))) continue;
      const inWindow = stored.filter((s) => {
        const t = Date.parse(s.time);
        return t > since && t <= at;
      });
      const reached = threshold.distinct
        ? new Set(inWindow.map((s) => s.value)).size >= threshold.count
        : inWindow.length >= threshold.count;
      return reached ? { ...hit, evidence: inWindow.map(({ id, time }) => ({ id, time })) } : undefined;
    }
    throw new Error(`rule ${rule.id}: could not update threshold state ${key} after ${MAX_ATTEMPTS} attempts`);
  }
}
