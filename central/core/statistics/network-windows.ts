/**
 * Counts decoded records into every statistics detector's windows and hands back the windows that
 * closed. This is the part of the statistics that reads every record, so it is the part a replay
 * runs on worker threads (one set of streams per thread); judging the closed windows against their
 * baselines (the engine, which holds state) stays on one thread.
 */
import type { NetworkRecord } from '../netlogs/records.js';
import { DetectorAccumulator, type ClosedWindow } from './accumulator.js';
import type { StatisticsDetector } from './definition.js';

/** Every detector's open windows. */
export class NetworkWindows {
  private readonly accumulators: DetectorAccumulator[];
  private readonly bySource: Readonly<Record<'flow' | 'waf', DetectorAccumulator[]>>;

  constructor(detectors: readonly StatisticsDetector[]) {
    this.accumulators = detectors.map((d) => new DetectorAccumulator(d));
    this.bySource = { flow: this.accumulators.filter((a) => a.detector.source === 'flow'), waf: this.accumulators.filter((a) => a.detector.source === 'waf') };
  }

  /** Counts records; returns the windows they closed, each stream's in time order. */
  add(records: readonly NetworkRecord[]): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    const { flow, waf } = this.bySource;
    for (const record of records) {
      const accumulators = record.kind === 'flow' ? flow : waf;
      for (let i = 0; i < accumulators.length; i++) {
        const windows = accumulators[i]!.add(record);
        if (windows.length) closed.push(...windows);
      }
    }
    return closed;
  }

  /** Closes every open window (the end of the input). */
  flush(): ClosedWindow[] {
    return this.accumulators.flatMap((a) => a.flush());
  }
}
