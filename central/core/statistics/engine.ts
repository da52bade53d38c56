/**
 * The statistics engine: judges closed windows against baselines and reports anomalies. The same
 * code runs after the in-process accumulator (replay) and after the aggregation SQL (the statistics
 * Lambda over Athena); both hand it `ClosedWindow`s.
 *
 * Per window and scope (account, region and the detector's scope fields):
 * 1. the scope's keys are ranked by value and the `topK` heaviest are judged;
 * 2. a key with a trained baseline of its own is judged by it: above the EWMA band, or a CUSUM
 *    alarm against its hour-of-day profile;
 * 3. a key without one (new, or still learning) is judged by its peers, once the scope's peer
 *    baseline is trained: far above what keys of the scope hold is an anomaly at once;
 * 4. baselines learn from the window (anomalous values only up to the band's edge).
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../ports.js';
import type { KeyAggregate, RecordContext } from './accumulator.js';
import { BaselineCache } from './baseline-cache.js';
import { advance, assessOwn, catchUp, extendEpisode, isTrained, type AnomalyReason, type Baseline, type Episode } from './baseline.js';
import type { StatisticsDetector } from './definition.js';
import { scopeOf, scopePositions, TRACKED_SHARE_OF_MINIMUM, type ClosedWindow } from './closed-window.js';
import { peerBand, updatePeers, type PeerBand, type PeerBaseline } from './peers.js';

/** A key's window that stood out, with everything a finding explains. */
export interface StatisticsAnomaly {
  readonly detector: StatisticsDetector;
  readonly account: string;
  readonly region: string;
  /** account, region, then the detector's key fields. */
  readonly key: readonly string[];
  readonly windowStart: number;
  readonly value: number;
  readonly volume: number;
  readonly estimated: boolean;
  /** What one of the key's records said beyond the key (interface, ports, web ACL ARN). */
  readonly context?: RecordContext;
  readonly reason: AnomalyReason;
  /** The expected value and band the window was judged against (own or peers'). */
  readonly expected: number;
  readonly upper: number;
  readonly z: number;
  readonly cusum: number;
  /** How the key's own baseline stood: trained, or learning since `since`. */
  readonly training: { readonly trained: boolean; readonly since: number; readonly windows: number };
  readonly peers?: PeerBand & { readonly keys: number };
  readonly episode: Episode;
}

/** A stored key baseline: the baseline and the key it belongs to (for listing). */
export interface StoredBaseline extends Baseline {
  readonly key: readonly string[];
}

/** A stored scope baseline. */
export interface StoredPeers extends PeerBaseline {
  readonly scope: readonly string[];
}

/** The StateStore key of a key's baseline. */
export function baselineKey(detectorId: string, key: readonly string[]): string {
  return `stat/${detectorId}/key/${digest(key)}`;
}

/** The StateStore key of a scope's peer baseline. */
export function peersKey(detectorId: string, scope: readonly string[]): string {
  return `stat/${detectorId}/peers/${digest(scope)}`;
}

function digest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** The engine's options. */
export interface StatisticsEngineOptions {
  readonly detectors: readonly StatisticsDetector[];
  readonly state: StateStore;
  /** Baselines held in memory at most. @default 100_000 */
  readonly cacheSize?: number;
}

/** Judges windows; call `flush` to store what was learned. */
export class StatisticsEngine {
  private readonly byId: Map<string, StatisticsDetector>;
  private readonly keys: BaselineCache<StoredBaseline>;
  private readonly scopes: BaselineCache<StoredPeers>;
  /** Windows judged and records that arrived late, per detector. */
  readonly tally = new Map<string, { windows: number; late: number; anomalies: number }>();

  constructor(options: StatisticsEngineOptions) {
    this.byId = new Map(options.detectors.map((d) => [d.id, d]));
    this.keys = new BaselineCache(options.state, options.cacheSize ?? 100_000);
    this.scopes = new BaselineCache(options.state, 10_000);
  }

  /** Judges one closed window. */
  async judge(window: ClosedWindow): Promise<StatisticsAnomaly[]> {
    const detector = this.byId.get(window.detector);
    if (!detector) throw new Error(`window of unknown statistics detector ${window.detector}`);
    const tally = this.tally.get(detector.id) ?? { windows: 0, late: 0, anomalies: 0 };
    this.tally.set(detector.id, tally);
    tally.windows++;
    tally.late += window.late;
    const anomalies: StatisticsAnomaly[] = [];
    const groups = groupByScope(detector, window.keys);
    for (const sums of window.scopes) {
      const { scope } = sums;
      const members = groups.get(scope.join('\u0000')) ?? [];
      const scopeKey = peersKey(detector.id, scope);
      const peers = await this.scopes.get(scopeKey);
      // A ratio lies between 0 and 1, where "many times what peers hold" means nothing: ratios are
      // judged by their own history only.
      const comparable = detector.metric.kind !== 'ratio';
      const band = comparable && peers && isTrained(peers, window.windowStart, detector.settings) ? peerBand(peers, detector.settings.sigma) : undefined;
      // Members usually come heaviest first already (the accumulator's order when nothing was evicted).
      const judged = (isByValueDescending(members) ? members : [...members].sort((a, b) => b.value - a.value)).slice(0, detector.settings.topK);
      for (const aggregate of judged) {
        const anomaly = await this.judgeKey(detector, window, aggregate, band, sums.count);
        if (anomaly) anomalies.push(anomaly);
      }
      // Peers learn from every member of the scope, judged or not: the window's sums hold them all.
      const updated = updatePeers(peers, window.windowStart, sums, detector.settings.alpha);
      if (updated) this.scopes.set(scopeKey, { ...updated, scope });
    }
    tally.anomalies += anomalies.length;
    return anomalies;
  }

  /** Stores every baseline changed since the last flush. */
  async flush(): Promise<void> {
    await this.keys.flush();
    await this.scopes.flush();
  }

  private async judgeKey(detector: StatisticsDetector, window: ClosedWindow, aggregate: KeyAggregate, peers: PeerBand | undefined, peerCount: number): Promise<StatisticsAnomaly | undefined> {
    const { settings, windowSeconds } = detector;
    // A ratio's minimum volume is of the records it is a share of; any other metric's, of itself.
    const volume = detector.metric.kind === 'ratio' ? aggregate.volume : aggregate.value;
    // Far below the minimum volume a window can never be an anomaly, and learning it is not worth
    // a baseline per key: the many small keys (one-off clients, background scanners) would fill
    // the state. Such a window counts as a silent one for a key that has a baseline.
    if (volume < settings.minVolume * TRACKED_SHARE_OF_MINIMUM) return undefined;
    const stateKey = baselineKey(detector.id, aggregate.key);
    const stored = await this.keys.get(stateKey);
    // A window already judged (a repeated run over the same data) teaches nothing new.
    if (stored && stored.lastWindow >= window.windowStart) return undefined;
    const before = stored ? catchUp(stored, window.windowStart, windowSeconds, settings.alpha) : undefined;
    const loudEnough = volume >= settings.minVolume;
    const own = before ? assessOwn(before, window.windowStart, aggregate.value, settings, loudEnough) : undefined;
    let reason: AnomalyReason | undefined = own?.reason;
    let cap = own ? own.band.upper : Number.POSITIVE_INFINITY;
    if (!own?.trained && peers) {
      cap = peers.upper;
      if (aggregate.value > peers.upper && loudEnough) reason = 'peers';
    }
    let next: Baseline = advance(before, window.windowStart, aggregate.value, cap, own?.cusum ?? 0, settings, reason !== undefined);
    let anomaly: StatisticsAnomaly | undefined;
    if (reason) {
      const episode = extendEpisode(before?.episode, window.windowStart, aggregate.value, windowSeconds);
      next = { ...next, episode };
      const usePeers = reason === 'peers';
      anomaly = {
        detector,
        account: window.account,
        region: window.region,
        key: aggregate.key,
        windowStart: window.windowStart,
        value: aggregate.value,
        volume: aggregate.volume,
        estimated: aggregate.estimated,
        ...(aggregate.context && { context: aggregate.context }),
        reason,
        expected: usePeers ? peers!.typical : own!.band.expected,
        upper: usePeers ? peers!.upper : own!.band.upper,
        z: usePeers ? (Math.log1p(aggregate.value) - peers!.expectedLog) / peers!.deviationLog : own!.z,
        cusum: own?.cusum ?? 0,
        training: { trained: own?.trained ?? false, since: before?.firstWindow ?? window.windowStart, windows: before?.windows ?? 0 },
        ...(peers && { peers: { ...peers, keys: peerCount } }),
        episode,
      };
    }
    this.keys.set(stateKey, { ...next, key: aggregate.key });
    return anomaly;
  }
}

/** True when a stable sort by value, heaviest first, would leave `keys` as they are. */
function isByValueDescending(keys: readonly KeyAggregate[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]!.value >= keys[i]!.value)) return false;
  return true;
}

/** The window's judgeable keys by scope id (account, region and the detector's scope fields, NUL-joined), in order. */
function groupByScope(detector: StatisticsDetector, keys: readonly KeyAggregate[]): Map<string, KeyAggregate[]> {
  const positions = scopePositions(detector);
  const groups = new Map<string, KeyAggregate[]>();
  for (const k of keys) {
    const id = scopeOf(k.key, positions).join('\u0000');
    let members = groups.get(id);
    if (!members) groups.set(id, (members = []));
    members.push(k);
  }
  return groups;
}
