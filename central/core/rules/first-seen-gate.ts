/**
 * The first-seen gate: a hit of a `firstSeen` rule passes when its value is new for its key, once
 * the key is past its learning period, and explains what was learned, since when, and what was
 * seen before. Decisions are made in event time order within a batch; what a batch learned is
 * stored only in `commit`, after its findings, so a failed write never loses a first sighting.
 *
 * Order: CloudTrail files do not arrive in time order. A key's learning period runs from the
 * earliest event learned for it so far, and an event older than a value's first known sighting is
 * never news. So a new value fires at most once per key while remembered; what arrival order can
 * still change is which of its sightings fires, and a value first met inside a learning period that
 * earlier events (arriving later) would have ended stays silent.
 */
import { createHash } from 'node:crypto';
import { withBehaviourFields } from '../behaviour/behaviour-view.js';
import { isServiceCall } from '../behaviour/principal.js';
import type { AsnLookup } from '../ioc/asn-ranges.js';
import type { StateStore, Versioned } from '../ports.js';
import type { BehaviourNote, RuleHit } from './engine.js';
import { mergeRecords, recentValues, withSighting, type SeenRecord } from './first-seen-state.js';
import type { CompiledFirstSeen } from './rule.js';

/** The member marking, in a rule's old seen set, that its key was seen at all. */
const LEGACY_KEY_SEEN = '';
/** First-seen records kept in memory between batches. */
const CACHE_SIZE = 50_000;
const MAX_ATTEMPTS = 8;
/** Values of the history a finding lists. */
const SEEN_BEFORE_LISTED = 5;

/** The StateStore key of one rule's history for one key. */
export function seenKey(ruleId: string, key: string): string {
  return `seen/${ruleId}/${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** State keys already digested: most hits name a key met before, and a digest per hit shows in a replay's time. */
const digested = new Map<string, string>();
function cachedSeenKey(ruleId: string, key: string): string {
  const id = `${ruleId}\u0000${key}`;
  let stateKey = digested.get(id);
  if (stateKey === undefined) {
    if (digested.size >= CACHE_SIZE) digested.clear();
    digested.set(id, (stateKey = seenKey(ruleId, key)));
  }
  return stateKey;
}

interface Working {
  readonly ruleId: string;
  readonly key: string;
  readonly stored: Versioned<SeenRecord> | undefined;
  record: SeenRecord | undefined;
  /** Per value met in this batch: the note its sightings fire with, or null when they do not fire. */
  readonly decided: Map<string, BehaviourNote | null>;
}

/** What the gate let through, and what to store once the findings are. */
export interface FirstSeenAdmitted {
  readonly passed: Map<RuleHit, RuleHit>;
  commit(): Promise<void>;
}

export class FirstSeenGate {
  private readonly cache = new Map<string, Versioned<SeenRecord> | null>();

  constructor(private readonly state: StateStore, private readonly asn?: AsnLookup) {}

  async admit(hits: readonly RuleHit[]): Promise<FirstSeenAdmitted> {
    const passed = new Map<RuleHit, RuleHit>();
    const working = new Map<string, Working>();
    // Each time parsed once: a batch holds thousands of hits of the rules over every event.
    const ordered = hits.map((hit) => ({ hit, at: Date.parse(hit.event.time) })).sort((a, b) => a.at - b.at).map((h) => h.hit);
    for (const hit of ordered) {
      const spec = hit.rule.firstSeen!;
      if (!spec.includeServiceCalls && isServiceCall(hit.event)) continue;
      const value = spec.value(hit.event, this.asn);
      if (value === undefined) continue;
      const key = spec.key(hit.event);
      const stateKey = cachedSeenKey(hit.rule.id, key);
      let entry = working.get(stateKey);
      if (!entry) {
        const stored = await this.read(stateKey);
        working.set(stateKey, (entry = { ruleId: hit.rule.id, key, stored, record: stored?.value, decided: new Map() }));
      }
      let decided = entry.decided.get(value);
      if (decided === undefined) {
        decided = (await this.isNews(entry, spec, value, hit.event.time)) ? note(spec, entry, value, hit.event.time) : null;
        entry.decided.set(value, decided);
      }
      // Every sighting of a value that is news in this batch joins its finding.
      if (decided) passed.set(hit, { ...hit, event: withBehaviourFields(hit.event, this.asn), behaviour: decided });
      entry.record = withSighting(entry.record, key, value, hit.event.time);
    }
    return { passed, commit: () => this.store(working) };
  }

  /** Whether a value met for the first time in this batch fires. */
  private async isNews(entry: Working, spec: CompiledFirstSeen, value: string, time: string): Promise<boolean> {
    const { record } = entry;
    const known = record?.values[value];
    const at = Date.parse(time);
    const forgotten = known !== undefined && at - Date.parse(known[1]) > spec.forgetMs;
    let isNew = known === undefined || forgotten;
    let keyIsNew = record === undefined;
    if (spec.learningMs === 0 && (isNew || keyIsNew) && !forgotten) {
      // Rules without a learning period may predate this state and kept plain sets of values
      // (`firstseen/<rule>/<key>`); what those sets know is not news.
      const unseen = await this.state.unseen(`firstseen/${entry.ruleId}/${entry.key}`, [LEGACY_KEY_SEEN, value]);
      if (!unseen.includes(value)) isNew = false;
      if (!unseen.includes(LEGACY_KEY_SEEN)) keyIsNew = false;
    }
    if (!isNew) return false;
    const since = record ? Math.min(Date.parse(record.since), at) : at;
    if (at - since < spec.learningMs) return false;
    return !(keyIsNew && spec.learnFirst);
  }

  private async read(stateKey: string): Promise<Versioned<SeenRecord> | undefined> {
    const cached = this.cache.get(stateKey);
    if (cached !== undefined) return cached ?? undefined;
    const stored = await this.state.get<SeenRecord>(stateKey);
    this.remember(stateKey, stored);
    return stored;
  }

  private remember(stateKey: string, value: Versioned<SeenRecord> | undefined): void {
    this.cache.delete(stateKey);
    this.cache.set(stateKey, value ?? null);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Stores each changed history; on a conflict merges with what the other writer stored. */
  private async store(working: ReadonlyMap<string, Working>): Promise<void> {
    for (const [stateKey, entry] of working) {
      if (!entry.record || entry.record === entry.stored?.value) continue;
      let base = entry.stored;
      let record = entry.record;
      for (let attempt = 0; ; attempt++) {
        if (await this.state.put(stateKey, record, base?.version)) {
          this.remember(stateKey, { value: record, version: (base?.version ?? 0) + 1 });
          break;
        }
        if (attempt + 1 >= MAX_ATTEMPTS) throw new Error(`rule ${entry.ruleId}: could not store first-seen state ${stateKey} after ${MAX_ATTEMPTS} attempts`);
        base = await this.state.get<SeenRecord>(stateKey);
        if (base) record = mergeRecords(base.value, record);
      }
    }
  }
}

/** What the finding says: the new value, the key's history before it, and since when it was learned. */
function note(spec: CompiledFirstSeen, entry: Working, value: string, time: string): BehaviourNote {
  const record = entry.record;
  const before = record ? recentValues(record, SEEN_BEFORE_LISTED) : [];
  const known = record ? Object.keys(record.values).length : 0;
  const since = record?.since ?? time;
  const what = spec.valueName;
  const listed = before.map((b) => `${b.value} (${b.first} to ${b.last})`).join('; ');
  const text =
    `First time ${what} ${value} is seen for ${spec.scope === 'custom' ? 'key' : spec.scope} ${entry.key}. ` +
    `Learned since ${since}${spec.learningMs > 0 ? ` (learning period ${spec.learningMs / 86_400_000} days)` : ''}; ` +
    (known ? `${known} value${known === 1 ? '' : 's'} seen before, latest: ${listed}.` : 'nothing seen before.');
  return {
    text,
    fields: {
      'skywatch/FirstSeen/Scope': spec.scope,
      'skywatch/FirstSeen/Key': entry.key,
      'skywatch/FirstSeen/Value': value,
      'skywatch/FirstSeen/LearnedSince': since,
      'skywatch/FirstSeen/KnownValues': String(known),
      'skywatch/FirstSeen/SeenBefore': before.map((b) => b.value).join(', '),
    },
  };
}
