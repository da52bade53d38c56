/**
 * The volume gate: a hit of a `volume` rule is one provisioning call. Its cost (provisioning-units)
 * is counted into the hour of its key (the principal, or the service, within the account), and the
 * hit passes when the hour's units so far stand out from the key's hourly baseline (volume-series).
 *
 * Counts are stored in `commit`, after the findings. A detector that reads events in no useful
 * order (a replay) defers judging to `flush`, after every file is counted: an hour is then judged
 * against every earlier hour of the input, whatever order the files came in. The Lambda judges each
 * batch as it comes, against the earlier hours that have arrived by then.
 */
import { createHash } from 'node:crypto';
import { principalOf, isServiceCall } from '../behaviour/principal.js';
import { provisioningCost } from '../behaviour/provisioning-units.js';
import { countCall, hourOf, HOUR_SECONDS, judgeHour, mergeSeries, type VolumeSeries } from '../behaviour/volume-series.js';
import type { StateStore, Versioned } from '../ports.js';
import type { BehaviourNote, RuleHit } from './engine.js';
import type { CompiledVolume } from './rule.js';

const CACHE_SIZE = 20_000;
const MAX_ATTEMPTS = 8;

/** The StateStore key of one rule's series for one key. */
export function volumeKey(ruleId: string, key: readonly string[]): string {
  return `vol/${ruleId}/${createHash('sha256').update(key.join('\u0000')).digest('hex').slice(0, 32)}`;
}

/** The key a call is counted under, or undefined when it is not counted (a service's call, no principal). */
export function volumeKeyOf(spec: CompiledVolume, hit: RuleHit): string[] | undefined {
  if (!spec.includeServiceCalls && isServiceCall(hit.event)) return undefined;
  const who = spec.per === 'principal' ? principalOf(hit.event) : hit.event.source;
  return who === undefined ? undefined : [hit.event.account, who];
}

interface Working {
  readonly ruleId: string;
  stored: Versioned<VolumeSeries> | undefined;
  series: VolumeSeries | undefined;
}

export class VolumeGate {
  private readonly cache = new Map<string, Versioned<VolumeSeries> | null>();
  private readonly working = new Map<string, Working>();

  constructor(private readonly state: StateStore) {}

  /** Counts the calls; they stay in this gate until `commit` stores them. */
  async count(hits: readonly RuleHit[]): Promise<void> {
    for (const hit of hits) {
      const key = volumeKeyOf(hit.rule.volume!, hit);
      if (!key) continue;
      const stateKey = volumeKey(hit.rule.id, key);
      const entry = await this.entry(stateKey, hit.rule.id);
      const cost = provisioningCost(hit.event);
      entry.series = countCall(entry.series, key, hit.event.id, hourOf(hit.event.time), cost.units, cost.resources);
    }
  }

  /** The hits whose hour stands out, each with its explanation. */
  async judge(hits: readonly RuleHit[]): Promise<Map<RuleHit, RuleHit>> {
    const passed = new Map<RuleHit, RuleHit>();
    const notes = new Map<string, BehaviourNote | null>();
    for (const hit of hits) {
      const spec = hit.rule.volume!;
      const key = volumeKeyOf(spec, hit);
      if (!key) continue;
      const stateKey = volumeKey(hit.rule.id, key);
      const hour = hourOf(hit.event.time);
      const judged = `${stateKey}/${hour}`;
      let decided = notes.get(judged);
      if (decided === undefined) {
        const series = (await this.entry(stateKey, hit.rule.id)).series;
        const result = series && judgeHour(series, hour, spec.settings);
        decided = result?.assessment.reason ? volumeNote(spec, key, hour, result) : null;
        notes.set(judged, decided);
      }
      if (decided) passed.set(hit, { ...hit, behaviour: decided });
    }
    return passed;
  }

  /** Stores every series counted into; on a conflict merges with what the other writer stored. */
  async commit(): Promise<void> {
    for (const [stateKey, entry] of this.working) {
      if (!entry.series || entry.series === entry.stored?.value) continue;
      for (let attempt = 0; ; attempt++) {
        if (await this.state.put(stateKey, entry.series, entry.stored?.version)) {
          entry.stored = { value: entry.series, version: (entry.stored?.version ?? 0) + 1 };
          this.remember(stateKey, entry.stored);
          break;
        }
        if (attempt + 1 >= MAX_ATTEMPTS) throw new Error(`rule ${entry.ruleId}: could not store provisioning volume ${stateKey} after ${MAX_ATTEMPTS} attempts`);
        entry.stored = await this.state.get<VolumeSeries>(stateKey);
        if (entry.stored) entry.series = mergeSeries(entry.stored.value, entry.series);
      }
    }
    this.working.clear();
  }

  private async entry(stateKey: string, ruleId: string): Promise<Working> {
    let entry = this.working.get(stateKey);
    if (entry) return entry;
    let stored = this.cache.get(stateKey);
    if (stored === undefined) {
      stored = (await this.state.get<VolumeSeries>(stateKey)) ?? null;
      this.remember(stateKey, stored ?? undefined);
    }
    this.working.set(stateKey, (entry = { ruleId, stored: stored ?? undefined, series: stored?.value }));
    return entry;
  }

  private remember(stateKey: string, value: Versioned<VolumeSeries> | undefined): void {
    this.cache.delete(stateKey);
    this.cache.set(stateKey, value ?? null);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** "role X provisioned 100 resources (1,000 units) in the hour from …; usual 0.1 ± 1". */
function volumeNote(spec: CompiledVolume, key: readonly string[], hour: number, result: NonNullable<ReturnType<typeof judgeHour>>): BehaviourNote {
  const { baseline, assessment, count } = result;
  const [, units, resources, calls] = count;
  const { band } = assessment;
  const from = iso(hour);
  const why = assessment.reason === 'cusum' ? `a sustained rise (CUSUM ${assessment.cusum.toFixed(1)} above ${spec.settings.cusumH})` : `z-score ${assessment.z.toFixed(1)}`;
  const text =
    `${spec.per === 'principal' ? 'Principal' : 'Service'} ${key[1]} in account ${key[0]} provisioned ${resources} resources in ${calls} calls (${fmt(units)} cost units) in the hour from ${from}; ` +
    `usual ${fmt(band.expected)} ± ${fmt(band.deviation)} units an hour, band up to ${fmt(band.upper)} (EWMA alpha ${spec.settings.alpha}, ${spec.settings.sigma} sigma), ${why}. ` +
    `Hourly baseline learned since ${iso(baseline.firstWindow)} over ${baseline.windows} hours (learning period ${spec.settings.trainDays} days); ` +
    `seen before: ${recentText(baseline)}.`;
  return {
    text,
    fields: {
      'skywatch/Volume/Per': spec.per,
      'skywatch/Volume/Key': key[1]!,
      'skywatch/Volume/Hour': `${from}/${iso(hour + HOUR_SECONDS)}`,
      'skywatch/Volume/Units': String(units),
      'skywatch/Volume/Resources': String(resources),
      'skywatch/Volume/Calls': String(calls),
      'skywatch/Volume/Expected': round(band.expected),
      'skywatch/Volume/Deviation': round(band.deviation),
      'skywatch/Volume/Upper': round(band.upper),
      'skywatch/Volume/ZScore': round(assessment.z),
      'skywatch/Volume/LearnedSince': iso(baseline.firstWindow),
    },
  };
}

/** The busiest recent hours before this one, as the finding's "seen before". */
function recentText(baseline: { readonly recent: ReadonlyArray<readonly [number, number, number]> }): string {
  const recent = baseline.recent.filter(([, value]) => value > 0);
  if (!recent.length) return 'no provisioning';
  const peak = recent.reduce((a, b) => (b[1] > a[1] ? b : a));
  return `${recent.length} recent hours with provisioning, the busiest ${fmt(peak[1])} units (${iso(peak[0])})`;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US'));
const round = (n: number): string => String(Math.round(n * 1000) / 1000);
