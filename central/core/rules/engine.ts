/**
 * Runs compiled rules over events. Rules are indexed by (eventSource, eventName) so an event meets
 * only the rules that can match it; each rule is isolated so one that throws cannot hide the others.
 */
import type { SecurityEvent } from '../event.js';
import type { CompiledRule } from './rule.js';
import type { SeverityLabel } from './schema.js';

/** A rule that matched an event. */
export interface RuleHit {
  readonly rule: CompiledRule;
  readonly event: SecurityEvent;
  readonly severity: SeverityLabel;
  /** Every event behind the hit, when more than this one (a threshold's burst); else just `event`. */
  readonly evidence?: ReadonlyArray<{ readonly id: string; readonly time: string }>;
  /** What a behaviour gate learned and saw, said in the finding (first-seen and volume rules). */
  readonly behaviour?: BehaviourNote;
}

/** A behaviour gate's explanation: a sentence for the Description and numbers for ProductFields. */
export interface BehaviourNote {
  readonly text: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** A rule that threw on an event: reported and counted, never silently false. */
export interface RuleFailure {
  readonly ruleId: string;
  readonly eventId: string;
  readonly error: string;
}

/**
 * How many (source, name) pairs keep their candidate list. Real trails have a few thousand pairs;
 * input with endless invented event names must not grow a warm Lambda's memory without end.
 */
export const CANDIDATE_CACHE_SIZE = 8_192;

/** Rules indexed for matching. */
export class RuleEngine {
  private readonly byKey = new Map<string, CompiledRule[]>();
  private readonly bySource = new Map<string, CompiledRule[]>();
  private readonly byName = new Map<string, CompiledRule[]>();
  private readonly everywhere: CompiledRule[] = [];
  private readonly candidatesCache = new Map<string, readonly CompiledRule[]>();
  readonly failures: RuleFailure[] = [];

  constructor(readonly rules: readonly CompiledRule[]) {
    for (const rule of rules) {
      for (const key of rule.keys) {
        if (key.source === '*' && key.name === '*') push(this.everywhere, rule);
        else if (key.source === '*') push(getOrAdd(this.byName, key.name), rule);
        else if (key.name === '*') push(getOrAdd(this.bySource, key.source), rule);
        else push(getOrAdd(this.byKey, `${key.source}\u0000${key.name}`), rule);
      }
    }
  }

  /** The rules that can match an event of this source and name, computed once per pair. */
  candidates(source: string, name: string): readonly CompiledRule[] {
    const key = `${source}\u0000${name}`;
    let list = this.candidatesCache.get(key);
    if (!list) {
      const merged = new Set([...(this.byKey.get(key) ?? []), ...(this.bySource.get(source) ?? []), ...(this.byName.get(name) ?? []), ...this.everywhere]);
      list = [...merged];
      // Map keeps insertion order: the oldest pair goes first.
      if (this.candidatesCache.size >= CANDIDATE_CACHE_SIZE) this.candidatesCache.delete(this.candidatesCache.keys().next().value!);
      this.candidatesCache.set(key, list);
    }
    return list;
  }

  /** How many (source, name) pairs have a cached candidate list. */
  get cachedPairs(): number {
    return this.candidatesCache.size;
  }

  /** Every rule hit for one event; failures are recorded in `failures` and the other rules still run. */
  evaluate(event: SecurityEvent): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const rule of this.candidates(event.source, event.name)) {
      try {
        if (rule.matches(event)) hits.push({ rule, event, severity: rule.severity(event) });
      } catch (err) {
        this.failures.push({ ruleId: rule.id, eventId: event.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return hits;
  }
}

function getOrAdd(map: Map<string, CompiledRule[]>, key: string): CompiledRule[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function push(list: CompiledRule[], rule: CompiledRule): void {
  if (!list.includes(rule)) list.push(rule);
}
