/**
 * Stateful rules. The engine matches one event at a time and knows nothing of the past; a rule with
 * a `threshold`, `firstSeen` or `volume` needs history, kept here through the StateStore port. Hits
 * of such rules pass through `admit` before they become findings:
 * - threshold: the hit passes once `count` matching events (or `count` distinct values) share the
 *   rule's `by` key within `window`, measured in event time so a replay counts as the live run did.
 *   The passing hit carries the whole burst as evidence. Event ids are kept, so a redelivered event
 *   is not counted twice.
 * - firstSeen: the hit passes when its value is new for its key, past the key's learning period
 *   (first-seen-gate.ts).
 * - volume: the hit's cost is counted into its key's hour; it passes when the hour stands out from
 *   the key's hourly baseline (volume-gate.ts). With `deferVolume`, hits are judged in `flushVolume`.
 * What first-seen and volume rules learn is stored only in `commit`, after the findings are stored,
 * so a failed write never loses a first sighting or a count.
 */
import { compareTimes } from '../decode/event-time.js';
import type { StateStore, Versioned } from '../ports.js';
import type { AsnLookup } from '../ioc/asn-ranges.js';
import type { RuleHit } from './engine.js';
import { FirstSeenGate } from './first-seen-gate.js';
import { VolumeGate } from './volume-gate.js';

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

/** What the gates need beyond the state. */
export interface RuleGateOptions {
  /** The ASN data, for first-seen rules over `network.asn`; without it those rules learn nothing. */
  readonly asn?: AsnLookup;
  /** Count volume hits in `admit` but judge them only in `flushVolume` (a replay, whose files come in no time order). */
  readonly deferVolume?: boolean;
}

export class RuleGates {
  /**
   * Threshold state this process wrote last, with its version: saves a read per batch. A put that
   * finds another version (another writer got there first) drops the entry and re-reads.
   */
  private readonly cache = new Map<string, Versioned<Sighting[]>>();

  private readonly firstSeen: FirstSeenGate;
  private readonly volume: VolumeGate;
  /** Volume hits counted and waiting for `flushVolume`. */
  private queued: RuleHit[] = [];

  constructor(private readonly state: StateStore, private readonly options: RuleGateOptions = {}) {
    this.firstSeen = new FirstSeenGate(state, options.asn);
    this.volume = new VolumeGate(state);
  }

  async admit(hits: readonly RuleHit[]): Promise<Admitted> {
    const passed = new Set<RuleHit>();
    const replaced = new Map<RuleHit, RuleHit>();
    /** Threshold hits grouped by state key, in event order: one read and one write per key and batch. */
    const byKey = new Map<string, RuleHit[]>();
    const firstSeenHits: RuleHit[] = [];
    const volumeHits: RuleHit[] = [];
    for (const hit of hits) {
      const { rule, event } = hit;
      if (rule.threshold) {
        const key = `threshold/${rule.id}/${rule.threshold.by.render(event, '')}`;
        const group = byKey.get(key);
        if (group) group.push(hit);
        else byKey.set(key, [hit]);
      } else if (rule.firstSeen) {
        firstSeenHits.push(hit);
      } else if (rule.volume) {
        volumeHits.push(hit);
      } else {
        passed.add(hit);
      }
    }
    const firstSeen = await this.firstSeen.admit(firstSeenHits);
    for (const [hit, noted] of firstSeen.passed) {
      passed.add(hit);
      replaced.set(hit, noted);
    }
    await this.volume.count(volumeHits);
    if (this.options.deferVolume) this.queued.push(...volumeHits);
    else {
      for (const [hit, noted] of await this.volume.judge(volumeHits)) {
        passed.add(hit);
        replaced.set(hit, noted);
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
        await firstSeen.commit();
        await this.volume.commit();
      },
    };
  }

  /** Judges the volume hits counted so far (with `deferVolume`); returns those that pass, in event order. */
  async flushVolume(): Promise<RuleHit[]> {
    const queued = this.queued.sort((a, b) => compareTimes(a.event.time, b.event.time));
    this.queued = [];
    const passed = await this.volume.judge(queued);
    await this.volume.commit();
    return queued.filter((h) => passed.has(h)).map((h) => passed.get(h)!);
  }

  /** Volume hits waiting for `flushVolume`. */
  get queuedVolumeHits(): number {
    return this.queued.length;
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
