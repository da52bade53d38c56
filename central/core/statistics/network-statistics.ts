/**
 * Network statistics from decoded records to findings, in one process: accumulate every detector's
 * windows, judge each window as it closes, and turn anomalies into findings, one per detector, key
 * and episode, updated while the episode lasts. `skywatch replay` feeds it records file by file;
 * the statistics Lambda feeds the engine windows from Athena instead and uses `findingsOf`.
 */
import type { AsffFinding } from '../findings/asff.js';
import { laterUpdatedAt } from '../findings/updated-at.js';
import type { NetworkRecord } from '../netlogs/records.js';
import type { Clock, StateStore } from '../ports.js';
import type { ClosedWindow } from './accumulator.js';
import type { StatisticsDetector } from './definition.js';
import { StatisticsEngine, type StatisticsAnomaly } from './engine.js';
import { statisticsFinding, type KeyIocHit } from './finding.js';
import { NetworkWindows } from './network-windows.js';

/** Looks up the IOC lists that name an address (the IOC matcher, behind a narrow port). */
export interface AddressIntel {
  listsFor(address: string): readonly KeyIocHit[];
}

/** The options. */
export interface NetworkStatisticsOptions {
  readonly detectors: readonly StatisticsDetector[];
  readonly state: StateStore;
  readonly clock: Clock;
  readonly intel?: AddressIntel;
}

/** What a run of statistics did, for reports. */
export interface StatisticsSummary {
  readonly records: number;
  readonly windows: number;
  readonly late: number;
  readonly anomalies: number;
}

/** Runs the detectors over records. */
export class NetworkStatistics {
  private readonly windows: NetworkWindows;
  private readonly engine: StatisticsEngine;
  private readonly pending = new Map<string, AsffFinding>();
  /** Each finding's last UpdatedAt. */
  private readonly updated = new Map<string, string>();
  private records = 0;

  constructor(private readonly options: NetworkStatisticsOptions) {
    this.windows = new NetworkWindows(options.detectors);
    this.engine = new StatisticsEngine({ detectors: options.detectors, state: options.state });
  }

  /** Counts records; findings of windows they closed wait in `take`. */
  async add(records: readonly NetworkRecord[]): Promise<void> {
    this.records += records.length;
    await this.judge(this.windows.add(records));
  }

  /**
   * Judges windows that `records` records were counted into elsewhere (a worker thread's
   * NetworkWindows); each stream's windows must come in the order they closed.
   */
  async addClosed(windows: readonly ClosedWindow[], records: number): Promise<void> {
    this.records += records;
    await this.judge(windows);
  }

  /** Closes every window (the end of the input), stores the baselines and returns the last findings. */
  async finish(): Promise<AsffFinding[]> {
    await this.judge(this.windows.flush());
    await this.engine.flush();
    return this.take();
  }

  /** The findings written or updated since the last call, latest version of each. */
  take(): AsffFinding[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }

  /** Counts so far. */
  get summary(): StatisticsSummary {
    let windows = 0;
    let late = 0;
    let anomalies = 0;
    for (const t of this.engine.tally.values()) {
      windows += t.windows;
      late += t.late;
      anomalies += t.anomalies;
    }
    return { records: this.records, windows, late, anomalies };
  }

  private async judge(windows: readonly ClosedWindow[]): Promise<void> {
    for (const w of windows) {
      for (const found of findingsOf(await this.engine.judge(w), this.options)) {
        // A finding updated again within the same millisecond must still be a later version (updated-at.ts).
        const UpdatedAt = laterUpdatedAt(new Date(found.UpdatedAt), this.updated.get(found.Id)).toISOString();
        this.updated.set(found.Id, UpdatedAt);
        this.pending.set(found.Id, UpdatedAt === found.UpdatedAt ? found : { ...found, UpdatedAt });
      }
    }
  }
}

/** The findings of anomalies. */
export function findingsOf(anomalies: readonly StatisticsAnomaly[], options: Pick<NetworkStatisticsOptions, 'clock' | 'intel'>): AsffFinding[] {
  return anomalies.map((anomaly) => {
    const addresses = anomaly.detector.key.flatMap((f, i) => (f === 'srcaddr' || f === 'dstaddr' || f === 'clientip' ? [anomaly.key[i + 2]!] : []));
    const iocHits = options.intel ? addresses.flatMap((a) => options.intel!.listsFor(a)) : [];
    return statisticsFinding({
      anomaly,
      iocHits,
      // The first anomalous window's end: the same for every version of the finding, on every run.
      createdAt: new Date((anomaly.episode.start + anomaly.detector.windowSeconds) * 1000),
      now: options.clock.now(),
    });
  });
}

