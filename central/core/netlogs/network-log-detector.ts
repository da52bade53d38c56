/**
 * Everything Skywatch detects in network logs, fed record by record: the statistics detectors
 * (windows, baselines, anomalies) and the IOC lists (every flow's addresses, every WAF request's
 * client, URI and user agent; CloudTrail events' hits are added as sightings). Statistics findings name the IOC lists their key's addresses are on,
 * which raises their severity.
 */
import type { AsffFinding } from '../findings/asff.js';
import { addressIntel } from '../ioc/address-intel.js';
import { IocFindingCollector, type IocSighting } from '../ioc/hit-findings.js';
import type { IocHit, IocMatcher } from '../ioc/matcher.js';
import { networkIocSightings, type IocSightingData } from '../ioc/record-sightings.js';
import type { Clock, StateStore } from '../ports.js';
import type { StatisticsDetector } from '../statistics/definition.js';
import type { ClosedWindow } from '../statistics/accumulator.js';
import { NetworkStatistics, type StatisticsSummary } from '../statistics/network-statistics.js';
import type { NetworkRecord } from './records.js';

/** The options. */
export interface NetworkLogDetectorOptions {
  readonly detectors: readonly StatisticsDetector[];
  readonly state: StateStore;
  readonly clock: Clock;
  readonly ioc?: IocMatcher;
}

/** What the network logs gave. */
export interface NetworkLogSummary extends StatisticsSummary {
  readonly iocFindings: number;
}

/** Runs statistics and IOC matching over network records. */
export class NetworkLogDetector {
  private readonly statistics: NetworkStatistics;
  private readonly iocFindings = new IocFindingCollector();

  constructor(private readonly options: NetworkLogDetectorOptions) {
    const { ioc } = options;
    this.statistics = new NetworkStatistics({
      detectors: options.detectors,
      state: options.state,
      clock: options.clock,
      ...(ioc && { intel: addressIntel(ioc) }),
    });
  }

  /** Counts and matches records. */
  async add(records: readonly NetworkRecord[]): Promise<void> {
    const { ioc } = this.options;
    if (ioc) for (const s of networkIocSightings(records, ioc)) this.iocFindings.add(s.hits, s.sighting);
    await this.statistics.add(records);
  }

  /**
   * What a worker thread made of `records` records: the windows they closed and their IOC hits, in
   * the order the worker met them (see NetworkPool).
   */
  async addCounted(read: { readonly records: number; readonly closed: readonly ClosedWindow[]; readonly sightings: readonly IocSightingData[] }): Promise<void> {
    for (const s of read.sightings) this.iocFindings.add(s.hits, s.sighting);
    await this.statistics.addClosed(read.closed, read.records);
  }

  /** Records IOC hits found elsewhere (CloudTrail events, matched where they are decoded). */
  addSighting(hits: readonly IocHit[], sighting: IocSighting): void {
    this.iocFindings.add(hits, sighting);
  }

  /** Findings written or updated since the last call. */
  take(): AsffFinding[] {
    return [...this.statistics.take(), ...this.iocFindings.take(this.options.clock.now())];
  }

  /** Closes every window, stores baselines, and returns the last findings. */
  async finish(): Promise<AsffFinding[]> {
    const last = await this.statistics.finish();
    return [...last, ...this.iocFindings.take(this.options.clock.now())];
  }

  /** Counts so far. */
  get summary(): NetworkLogSummary {
    return { ...this.statistics.summary, iocFindings: this.iocFindings.size };
  }
}
