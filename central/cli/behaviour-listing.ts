/**
 * What `skywatch baselines` lists of the behaviour rules: each provisioning-volume series
 * (`vol/<rule>/…`, volume-gate.ts) with its hourly baseline as of its latest hour, and each
 * first-seen history (`seen/<rule>/…`, first-seen-gate.ts) with its learning state and values.
 * The baseline is derived by the same function the gate judges with, so the two never disagree.
 */
import { HOUR_SECONDS, baselineBefore, type VolumeSeries } from '../core/behaviour/volume-series.js';
import { isTrained } from '../core/statistics/baseline.js';
import { bandOf } from '../core/statistics/ewma.js';
import { recentValues, type SeenRecord } from '../core/rules/first-seen-state.js';
import type { CompiledRule } from '../core/rules/rule.js';
import type { StatEntry, TrainingState } from './baselines-listing.js';

/** The StateStore prefixes of behaviour state. */
export const VOLUME_PREFIX = 'vol/';
export const SEEN_PREFIX = 'seen/';

/** One provisioning-volume series as listed. */
export interface VolumeListing {
  readonly rule: string;
  readonly account: string;
  /** The principal or the service. */
  readonly key: string;
  readonly state: TrainingState;
  readonly days: number;
  readonly trainDays?: number;
  /** Hours with provisioning, and the first and latest of them. */
  readonly hours: number;
  readonly firstHour: string;
  readonly lastHour: string;
  /** The baseline an hour after the latest: expected units an hour and the band's edge. */
  readonly expected: number | null;
  readonly upper: number | null;
  /** Units of the latest hour and of the busiest. */
  readonly latest: number;
  readonly peak: number;
}

/** One first-seen history as listed. */
export interface SeenListing {
  readonly rule: string;
  readonly key: string;
  readonly state: TrainingState;
  readonly since: string;
  readonly learningDays?: number;
  readonly values: number;
  /** The latest values, most recently seen first. */
  readonly recent: ReadonlyArray<{ readonly value: string; readonly first: string; readonly last: string }>;
}

/** Lists volume series and first-seen histories, training judged as of each one's latest event (as a replay of old logs would see it). */
export function listBehaviours(entries: readonly StatEntry[], rules: readonly CompiledRule[], filter: { readonly rule?: string; readonly key?: string } = {}): { volumes: VolumeListing[]; firstSeen: SeenListing[] } {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const volumes: VolumeListing[] = [];
  const firstSeen: SeenListing[] = [];
  for (const entry of entries) {
    const match = /^(vol|seen)\/([^/]+)\//.exec(entry.key);
    if (!match || (filter.rule !== undefined && match[2] !== filter.rule)) continue;
    const rule = byId.get(match[2]!);
    if (match[1] === 'vol') {
      const listing = volumeListing(match[2]!, entry.value as VolumeSeries, rule);
      if (filter.key === undefined || `${listing.account} ${listing.key}`.includes(filter.key)) volumes.push(listing);
    } else {
      const listing = seenListing(match[2]!, entry.value as SeenRecord, rule);
      if (filter.key === undefined || listing.key.includes(filter.key)) firstSeen.push(listing);
    }
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  volumes.sort((a, b) => order(`${a.rule}\u0000${a.account}\u0000${a.key}`, `${b.rule}\u0000${b.account}\u0000${b.key}`));
  firstSeen.sort((a, b) => order(`${a.rule}\u0000${a.key}`, `${b.rule}\u0000${b.key}`));
  return { volumes, firstSeen };
}

function volumeListing(ruleId: string, series: VolumeSeries, rule: CompiledRule | undefined): VolumeListing {
  const first = series.hours[0]!;
  const last = series.hours[series.hours.length - 1]!;
  const base = { rule: ruleId, account: series.key[0]!, key: series.key[1]!, hours: series.hours.length, firstHour: iso(first[0]), lastHour: iso(last[0]), latest: last[1], peak: Math.max(...series.hours.map((h) => h[1])) };
  const days = (last[0] - first[0]) / 86_400;
  const settings = rule?.volume?.settings;
  if (!settings) return { ...base, state: 'unknown detector', days, expected: null, upper: null };
  const baseline = baselineBefore(series, last[0] + HOUR_SECONDS, settings)!;
  const band = bandOf(baseline.ewma, settings.sigma, settings.minRelativeDeviation, settings.minDeviation);
  return { ...base, state: isTrained(baseline, last[0], settings) ? 'trained' : 'learning', days, trainDays: settings.trainDays, expected: band.expected, upper: band.upper };
}

function seenListing(ruleId: string, record: SeenRecord, rule: CompiledRule | undefined): SeenListing {
  const spec = rule?.firstSeen;
  const recent = recentValues(record, 5);
  const base = { rule: ruleId, key: record.key, since: record.since, values: Object.keys(record.values).length, recent };
  if (!spec) return { ...base, state: 'unknown detector' };
  const latest = recent.length ? Date.parse(recent[0]!.last) : Date.parse(record.since);
  const learned = latest - Date.parse(record.since) >= spec.learningMs;
  return { ...base, state: learned ? 'trained' : 'learning', learningDays: spec.learningMs / 86_400_000 };
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
