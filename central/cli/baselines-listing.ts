/**
 * What `skywatch baselines` lists: the statistics core's stored baselines (`stat/<detector>/key/…`
 * and `stat/<detector>/peers/…`, see engine.ts), read back as plain records with the numbers a
 * reader needs: training state, expected value, band edge, latest value, episode, recent series.
 */
import { isTrained, type Episode } from '../core/statistics/baseline.js';
import type { StatisticsDetector } from '../core/statistics/definition.js';
import type { StoredBaseline, StoredPeers } from '../core/statistics/engine.js';
import { bandOf } from '../core/statistics/ewma.js';
import { peerBand } from '../core/statistics/peers.js';

/** The StateStore prefix of every statistics baseline, or of one detector's. */
export function statisticsPrefix(detectorId?: string): string {
  return detectorId === undefined ? 'stat/' : `stat/${detectorId}/`;
}

/** How far a baseline is in its training; `unknown detector` when its detector is no longer loaded. */
export type TrainingState = 'trained' | 'learning' | 'unknown detector';

/** One window of a key's recent series. */
export interface RecentWindow {
  readonly windowStart: string;
  readonly value: number;
  /** The band edge the window was judged against. */
  readonly upper: number;
  readonly above: boolean;
}

/** One key's baseline as listed. */
/** What a key's and a scope's baseline have learned, and over which windows. */
export interface ListedHistory {
  readonly state: TrainingState;
  /** Days from the first window to the last; `trainDays` is undefined for an unknown detector. */
  readonly days: number;
  readonly trainDays?: number;
  readonly windows: number;
  readonly firstWindow: string;
  readonly lastWindow: string;
}

export interface BaselineListing extends ListedHistory {
  readonly detector: string;
  readonly account: string;
  readonly region: string;
  /** The detector's key fields beyond account and region. */
  readonly key: readonly string[];
  /** The EWMA mean, and the upper edge of its band (null for an unknown detector). */
  readonly expected: number;
  readonly upper: number | null;
  readonly latest: number | null;
  readonly episode: (Omit<Episode, 'start' | 'last'> & { readonly start: string; readonly last: string }) | null;
  readonly recent: readonly RecentWindow[];
}

/** One scope's peer baseline as listed. */
export interface PeerListing extends ListedHistory {
  readonly detector: string;
  readonly account: string;
  readonly region: string;
  /** The detector's scope fields beyond account and region (often none). */
  readonly scope: readonly string[];
  /** What the scope's typical key holds in a window: expm1 of the mean log value. */
  readonly typical: number;
  /** How many times above or below typical keys usually are: exp of the log values' deviation. */
  readonly spread: number;
  /** The value above which a key stands out (null for an unknown detector). */
  readonly upper: number | null;
}

/** Which baselines to list: one detector by id, keys containing some text. */
export interface BaselineFilter {
  readonly detector?: string;
  /** A substring of account, region and key fields joined by spaces. */
  readonly key?: string;
}

/** A stored entry, as `SqliteStore.listState` returns it. */
export interface StatEntry {
  readonly key: string;
  readonly value: unknown;
}

/** Sorts entries into key and peer listings; anomalous keys first, then by detector and key. */
export function listBaselines(entries: readonly StatEntry[], detectors: readonly StatisticsDetector[], filter: BaselineFilter = {}): { baselines: BaselineListing[]; peers: PeerListing[] } {
  const byId = new Map(detectors.map((d) => [d.id, d]));
  const baselines: BaselineListing[] = [];
  const peers: PeerListing[] = [];
  for (const entry of entries) {
    const match = /^stat\/([^/]+)\/(key|peers)\//.exec(entry.key);
    if (!match || (filter.detector !== undefined && match[1] !== filter.detector)) continue;
    const id = match[1]!;
    if (match[2] === 'key') {
      const stored = entry.value as StoredBaseline;
      if (matchesKey(stored.key, filter.key)) baselines.push(keyListing(id, stored, byId.get(id)));
    } else {
      const stored = entry.value as StoredPeers;
      if (matchesKey(stored.scope, filter.key)) peers.push(peerListing(id, stored, byId.get(id)));
    }
  }
  baselines.sort((a, b) => Number(b.episode !== null) - Number(a.episode !== null) || compareText(sortKey(a.detector, a.account, a.region, a.key), sortKey(b.detector, b.account, b.region, b.key)));
  peers.sort((a, b) => compareText(sortKey(a.detector, a.account, a.region, a.scope), sortKey(b.detector, b.account, b.region, b.scope)));
  return { baselines, peers };
}

function keyListing(detectorId: string, stored: StoredBaseline, detector: StatisticsDetector | undefined): BaselineListing {
  const recent = (stored.recent ?? []).map(([start, value, upper]) => ({ windowStart: isoTime(start), value, upper, above: value > upper }));
  const { settings } = detector ?? {};
  return {
    detector: detectorId,
    account: stored.key[0]!,
    region: stored.key[1]!,
    key: stored.key.slice(2),
    ...history(stored, detector),
    expected: stored.ewma.mean,
    upper: settings ? bandOf(stored.ewma, settings.sigma, settings.minRelativeDeviation, settings.minDeviation).upper : null,
    latest: recent.length ? recent[recent.length - 1]!.value : null,
    episode: stored.episode ? { ...stored.episode, start: isoTime(stored.episode.start), last: isoTime(stored.episode.last) } : null,
    recent,
  };
}

function peerListing(detectorId: string, stored: StoredPeers, detector: StatisticsDetector | undefined): PeerListing {
  const deviationLog = Math.sqrt(Math.max(stored.meanSquare - stored.mean * stored.mean, 0));
  return {
    detector: detectorId,
    account: stored.scope[0]!,
    region: stored.scope[1]!,
    scope: stored.scope.slice(2),
    ...history(stored, detector),
    typical: Math.expm1(stored.mean),
    spread: Math.exp(deviationLog),
    upper: detector ? peerBand(stored, detector.settings.sigma).upper : null,
  };
}

/** What a key's and a scope's listing share: training, windows learned, first and last window. */
function history(stored: { readonly firstWindow: number; readonly lastWindow: number; readonly windows: number }, detector: StatisticsDetector | undefined) {
  return { ...training(stored, detector), windows: stored.windows, firstWindow: isoTime(stored.firstWindow), lastWindow: isoTime(stored.lastWindow) };
}

/** Training as of the baseline's last window: the engine's own test, so the listing never disagrees with a judgement. */
function training(stored: { readonly firstWindow: number; readonly lastWindow: number }, detector: StatisticsDetector | undefined): { state: TrainingState; days: number; trainDays?: number } {
  const days = (stored.lastWindow - stored.firstWindow) / 86_400;
  if (!detector) return { state: 'unknown detector', days };
  const { trainDays } = detector.settings;
  return { state: isTrained(stored, stored.lastWindow, detector.settings) ? 'trained' : 'learning', days, trainDays };
}

function matchesKey(key: readonly string[], text: string | undefined): boolean {
  return text === undefined || key.join(' ').includes(text);
}

function sortKey(detector: string, account: string, region: string, fields: readonly string[]): string {
  return [detector, account, region, ...fields].join('\u0000');
}

// Code unit order, not the locale's: the same order on every machine.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
