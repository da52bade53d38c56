/** Small builders for statistics tests: a detector definition and flow records. */
import type { FlowRecord } from '../../../central/core/netlogs/records.js';
import { DEFAULT_SETTINGS, type StatisticsDetector } from '../../../central/core/statistics/definition.js';

/** A detector counting flows per source, with any field overridden. */
export function flowDetector(overrides: Partial<StatisticsDetector> = {}): StatisticsDetector {
  return {
    id: 'test-flows-per-source',
    file: 'rules/statistics/test-flows-per-source.yaml',
    title: 'Flows per source',
    description: 'Counts flows per source.',
    source: 'flow',
    metric: { kind: 'count' },
    where: [],
    key: ['srcaddr'],
    scope: [],
    windowSeconds: 300,
    graceSeconds: 900,
    settings: { ...DEFAULT_SETTINGS, minVolume: 10 },
    severity: 'HIGH',
    types: ['Unusual Behaviors/Network Flow'],
    runbook: 'Look at the source.',
    techniques: ['T1046'],
    status: 'active',
    ...overrides,
  };
}

/** A flow record at `start` seconds. */
export function flow(start: number, fields: Partial<FlowRecord> = {}): FlowRecord {
  return {
    kind: 'flow', account: '111122223333', region: 'us-east-1', version: 2, interfaceId: 'eni-0a1b2c3d4e5f60718',
    srcAddr: '10.0.1.5', dstAddr: '10.0.2.9', srcPort: 49152, dstPort: 443, protocol: 6, packets: 10, bytes: 1000,
    start, end: start + 60, action: 'ACCEPT', logStatus: 'OK', ...fields,
  };
}

/** Monday 5 January 2026, 00:00 UTC, in seconds. */
export const T0 = Date.UTC(2026, 0, 5) / 1000;
export const DAY = 86_400;
