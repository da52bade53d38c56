/**
 * One key's baseline: its EWMA, its CUSUM statistic, when it was first and last seen, the recent
 * values (for `skywatch baselines`), and the anomaly episode it is in, if any. Pure functions move
 * it from one window to the next; the engine stores it through the StateStore port.
 */
import type { DetectorSettings } from './definition.js';
import { bandOf, decayEwma, updateEwma, zScore, type Band, type Ewma } from './ewma.js';
import { cusumAlarm, updateCusum } from './cusum.js';
import { decayProfile, profileBand, updateProfile, type HourProfile } from './profile.js';

/** How many recent windows a baseline keeps for display. */
export const RECENT_WINDOWS = 48;

/** A run of anomalous windows of one key: one finding, updated while it lasts. */
export interface Episode {
  /** Start of the first anomalous window (seconds). */
  readonly start: number;
  /** Start of the latest anomalous window. */
  readonly last: number;
  /** Anomalous windows so far. */
  readonly windows: number;
  /** The highest value seen in the episode. */
  readonly peak: number;
}

/** What a baseline stores. Times are window starts in seconds since the epoch. */
export interface Baseline {
  readonly ewma: Ewma;
  /** What each hour of the day usually holds: CUSUM's reference. */
  readonly profile: HourProfile;
  readonly cusum: number;
  /** Windows folded in, zero windows included. */
  readonly windows: number;
  readonly firstWindow: number;
  readonly lastWindow: number;
  /** `[windowStart, value, upper]` of the latest windows with traffic, oldest first. */
  readonly recent: ReadonlyArray<readonly [number, number, number]>;
  readonly episode?: Episode;
}

/** Why a window stood out. */
export type AnomalyReason = 'band' | 'cusum' | 'peers';

/** A baseline's training state at a window. */
export function isTrained(baseline: Pick<Baseline, 'firstWindow'>, windowStart: number, settings: Pick<DetectorSettings, 'trainDays'>): boolean {
  return windowStart - baseline.firstWindow >= settings.trainDays * 86_400;
}

/** The judgement of one window against a key's own history. */
export interface OwnAssessment {
  readonly band: Band;
  readonly z: number;
  /** The CUSUM statistic including this window. */
  readonly cusum: number;
  readonly trained: boolean;
  /** Set when the window is an anomaly for the key's own baseline. */
  readonly reason?: Exclude<AnomalyReason, 'peers'>;
}

/**
 * Brings a baseline up to the window before `windowStart`: windows in between held nothing for
 * this key, which is a zero (a source that stopped sending sent nothing), not a gap to ignore.
 */
export function catchUp(baseline: Baseline, windowStart: number, windowSeconds: number, alpha: number): Baseline {
  const silent = Math.floor((windowStart - baseline.lastWindow) / windowSeconds) - 1;
  if (silent <= 0) return baseline;
  const profile = decayProfile(baseline.profile, baseline.lastWindow + windowSeconds, silent, windowSeconds);
  return { ...baseline, ewma: decayEwma(baseline.ewma, silent, alpha), profile, cusum: 0, windows: baseline.windows + silent, lastWindow: windowStart - windowSeconds };
}

/**
 * Judges `value` (the guaranteed lower bound of the window's metric) against the baseline as it
 * stood before this window. `loudEnough`: the window reached the detector's minimum volume.
 */
export function assessOwn(baseline: Baseline, windowStart: number, value: number, settings: DetectorSettings, loudEnough: boolean): OwnAssessment {
  const reference = profileBand(baseline.profile, windowStart, settings.minRelativeDeviation, settings.minDeviation);
  // The fast EWMA follows the last few windows; its variance remembers little and now
  // and then comes out far too small, and a dip of the mean lowers the band with it. A window is
  // above the band only when it is above both that band and the band of this hour of the day as
  // the days learned it.
  const fast = bandOf(baseline.ewma, settings.sigma, settings.minRelativeDeviation, settings.minDeviation);
  const hourly = reference && { expected: reference.expected, deviation: reference.deviation, upper: reference.expected + settings.sigma * reference.deviation, lower: reference.expected - settings.sigma * reference.deviation };
  const band = hourly && hourly.upper > fast.upper ? hourly : fast;
  const z = zScore(band, value);
  const cusum = reference ? updateCusum(baseline.cusum, zScore(reference, value), settings.cusumK) : 0;
  const trained = isTrained(baseline, windowStart, settings);
  const reason = !trained || !loudEnough ? undefined : value > band.upper ? 'band' : cusumAlarm(cusum, settings.cusumH) ? 'cusum' : undefined;
  return { band, z, cusum, trained, ...(reason && { reason }) };
}

/** How much slower a baseline learns from an anomalous window than from a normal one. */
export const ANOMALY_LEARNING_SLOWDOWN = 10;

/**
 * The baseline after the window. An anomalous window teaches at a tenth of the usual weight, and
 * no more than the band's edge, so an attack does not become normal while it lasts, yet a lasting
 * change of level (a new service, a bigger fleet) is learned in about a day instead of alerting
 * forever. `upper` is the band the window was judged against (Infinity when there was none).
 */
export function advance(baseline: Baseline | undefined, windowStart: number, value: number, upper: number, cusum: number, settings: DetectorSettings, anomalous: boolean): Baseline {
  const trainedValue = anomalous ? Math.min(value, upper) : value;
  const alpha = anomalous ? settings.alpha / ANOMALY_LEARNING_SLOWDOWN : settings.alpha;
  const ewma = updateEwma(baseline?.ewma, trainedValue, alpha);
  const profile = anomalous && baseline ? baseline.profile : updateProfile(baseline?.profile, windowStart, trainedValue);
  const recent = [...(baseline?.recent ?? []), [windowStart, value, Number.isFinite(upper) ? upper : value] as const].slice(-RECENT_WINDOWS);
  return {
    ewma,
    profile,
    cusum: baseline ? cusum : 0,
    windows: (baseline?.windows ?? 0) + 1,
    firstWindow: baseline?.firstWindow ?? windowStart,
    lastWindow: windowStart,
    recent,
    ...(baseline?.episode && { episode: baseline.episode }),
  };
}

/** Quiet windows an episode survives: an hour, so a ramp that dips below the alarm now and then stays one finding. */
export const EPISODE_GAP_WINDOWS = 12;

/** The episode after an anomalous window: the same one while windows follow within `gapWindows`. */
export function extendEpisode(episode: Episode | undefined, windowStart: number, value: number, windowSeconds: number, gapWindows = EPISODE_GAP_WINDOWS): Episode {
  if (episode && windowStart - episode.last <= gapWindows * windowSeconds) {
    return { start: episode.start, last: windowStart, windows: episode.windows + 1, peak: Math.max(episode.peak, value) };
  }
  return { start: windowStart, last: windowStart, windows: 1, peak: value };
}
