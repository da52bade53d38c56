/**
 * A state folder with real statistics baselines: the shipped flow detectors run over eight days of
 * ordinary VPC flows, a host that started three days before the end, then a vertical port scan.
 */
import type { FlowRecord } from '../../central/core/netlogs/records.js';
import { NetworkStatistics } from '../../central/core/statistics/network-statistics.js';
import { statePaths } from '../../central/local/replay.js';
import { SqliteStore } from '../../central/local/sqlite-store.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { DAY, flow, T0 } from '../core/statistics/support.js';

/** When the scan's window starts: eight days and a quarter of an hour after T0. */
export const SCAN_AT = T0 + 8 * DAY + 900;

/** The hosts of the state: a monitor seen all along, a backup agent seen for the last three days, the scanner. */
export const HOSTS = { monitor: '10.0.1.20', backup: '10.0.1.30', scanner: '198.51.100.23', target: '10.0.1.5' } as const;

/** Runs the shipped flow detectors over the week and the scan, storing their baselines in `stateDir`. */
export async function buildStatisticsState(stateDir: string): Promise<void> {
  const detectors = loadStatisticsFolders().detectors.map((d) => d.detector).filter((d) => d.source === 'flow');
  const store = new SqliteStore(databaseOf(stateDir));
  try {
    const stats = new NetworkStatistics({ detectors, state: store, clock: { now: () => new Date((SCAN_AT + DAY) * 1000) } });
    for (let t = T0; t < T0 + 8 * DAY; t += 300) await stats.add(ordinaryWindow(t));
    await stats.add(Array.from({ length: 1_000 }, (_, i) => flow(SCAN_AT + (i % 250), { srcAddr: HOSTS.scanner, dstAddr: HOSTS.target, dstPort: i + 1, srcPort: 40_000, action: 'REJECT' })));
    await stats.finish();
  } finally {
    store.close();
  }
}

/** The path of the state database. */
export function databaseOf(stateDir: string): string {
  return statePaths(stateDir).database;
}

function ordinaryWindow(t: number): FlowRecord[] {
  const records = [flow(t + 5, { srcAddr: '192.0.2.10', dstAddr: HOSTS.target }), flow(t + 6, { srcAddr: '192.0.2.11', dstAddr: HOSTS.target })];
  // The monitor checks 5 to 8 hosts on 443 in turn: its own baseline for the horizontal scan
  // detector, far below that detector's minimum volume, so never an anomaly.
  const checked = 5 + ((t / 300) % 4);
  for (let h = 0; h < checked; h++) records.push(flow(t + 10, { srcAddr: HOSTS.monitor, dstAddr: `10.0.2.${h + 1}`, dstPort: 443 }));
  if (t >= T0 + 5 * DAY) for (let h = 0; h < 5; h++) records.push(flow(t + 20, { srcAddr: HOSTS.backup, dstAddr: `10.0.3.${h + 1}`, dstPort: 22 }));
  return records;
}
