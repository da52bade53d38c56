/**
 * A key's provisioning as a sparse hourly series (only hours with calls are stored), and the
 * statistics baseline it implies at any hour. The baseline is derived, not stored: it folds the
 * series' hours before the judged one through the statistics core (catchUp, assessOwn, advance),
 * so a judgement depends on which earlier hours are known, never on the order their events came in.
 */
import { advance, assessOwn, catchUp, type Baseline, type OwnAssessment } from '../statistics/baseline.js';
import type { DetectorSettings } from '../statistics/definition.js';

/** Hourly windows. */
export const HOUR_SECONDS = 3_600;
/** Hours with calls a series keeps (about five weeks of an always-busy key). */
export const MAX_HOURS = 840;
/** Event ids kept per hour, so a redelivered event is not counted twice. */
export const MAX_IDS_PER_HOUR = 200;
/** Hours whose ids are kept: redeliveries come within minutes, not days. */
export const ID_HOURS = 48;

/** One hour with calls: [hour start (s), cost units, resources, calls]. */
export type HourCount = readonly [number, number, number, number];

/** What a key stores (`vol/<rule>/<digest>`). */
export interface VolumeSeries {
  /** account, then the principal or the service. */
  readonly key: readonly string[];
  /** Sorted by hour. */
  readonly hours: readonly HourCount[];
  /** Hour start -> event ids counted in it (recent hours only). */
  readonly ids: Readonly<Record<string, readonly string[]>>;
}

/** The hour (start, seconds) of an event time. */
export function hourOf(time: string): number {
  return Math.floor(Date.parse(time) / 1000 / HOUR_SECONDS) * HOUR_SECONDS;
}

/** The series with one more call counted, or the same series when the event was counted already. */
export function countCall(series: VolumeSeries | undefined, key: readonly string[], eventId: string, hour: number, units: number, resources: number): VolumeSeries {
  const ids = series?.ids[hour] ?? [];
  if (ids.includes(eventId)) return series!;
  const hours = [...(series?.hours ?? [])];
  const at = hours.findIndex((h) => h[0] >= hour);
  if (at >= 0 && hours[at]![0] === hour) {
    const [, u, r, c] = hours[at]!;
    hours[at] = [hour, u + units, r + resources, c + 1];
  } else {
    hours.splice(at < 0 ? hours.length : at, 0, [hour, units, resources, 1]);
  }
  const kept = hours.slice(-MAX_HOURS);
  const newest = kept[kept.length - 1]![0];
  const keptIds: Record<string, readonly string[]> = {};
  const withThis: Record<string, readonly string[]> = { ...series?.ids, [hour]: ids.length < MAX_IDS_PER_HOUR ? [...ids, eventId] : ids };
  for (const [h, list] of Object.entries(withThis)) {
    if (Number(h) > newest - ID_HOURS * HOUR_SECONDS) keptIds[h] = list;
  }
  return { key, hours: kept, ids: keptIds };
}

/** Two writers' series in one: per hour, the counts of the one that saw more calls, and both id lists. */
export function mergeSeries(a: VolumeSeries, b: VolumeSeries): VolumeSeries {
  const byHour = new Map<number, HourCount>(a.hours.map((h) => [h[0], h]));
  for (const h of b.hours) {
    const mine = byHour.get(h[0]);
    if (!mine || h[3] > mine[3]) byHour.set(h[0], h);
  }
  const ids: Record<string, readonly string[]> = { ...a.ids };
  for (const [h, list] of Object.entries(b.ids)) ids[h] = [...new Set([...(ids[h] ?? []), ...list])].slice(0, MAX_IDS_PER_HOUR);
  return { key: a.key, hours: [...byHour.values()].sort((x, y) => x[0] - y[0]).slice(-MAX_HOURS), ids };
}

/** The count of one hour, or zeros. */
export function countAt(series: VolumeSeries, hour: number): HourCount {
  return series.hours.find((h) => h[0] === hour) ?? [hour, 0, 0, 0];
}

/** The baseline as it stood before `hour`: every earlier hour folded in, silent hours as zeros. */
export function baselineBefore(series: VolumeSeries, hour: number, settings: DetectorSettings): Baseline | undefined {
  let baseline: Baseline | undefined;
  for (const [h, units] of series.hours) {
    if (h >= hour) break;
    const before = baseline && catchUp(baseline, h, HOUR_SECONDS, settings.alpha);
    const own = before && assessOwn(before, h, units, settings, units >= settings.minVolume);
    // An anomalous hour teaches little and only up to its band, as in the statistics engine.
    baseline = advance(before, h, units, own ? own.band.upper : Number.POSITIVE_INFINITY, own?.cusum ?? 0, settings, own?.reason !== undefined);
  }
  return baseline && catchUp(baseline, hour, HOUR_SECONDS, settings.alpha);
}

/** The judgement of an hour's units so far against the baseline before it; undefined while nothing is learned. */
export function judgeHour(series: VolumeSeries, hour: number, settings: DetectorSettings): { baseline: Baseline; assessment: OwnAssessment; count: HourCount } | undefined {
  const baseline = baselineBefore(series, hour, settings);
  if (!baseline) return undefined;
  const count = countAt(series, hour);
  return { baseline, count, assessment: assessOwn(baseline, hour, count[1], settings, count[1] >= settings.minVolume) };
}
