/**
 * Scripted answers to a detector's aggregation SQL, for the Athena fake: the result columns the SQL
 * selects (typed as Athena types them) and rows for one key per account in every window of the
 * range the query's parameters ask for, so a test can say "steady, then a spike" without writing
 * thousands of rows.
 */
import type { StatisticsDetector } from '../../central/core/statistics/definition.js';
import type { ScriptedRows } from './athena-fake.js';

const CONTEXT_COLUMNS = {
  flow: [['ctx_interfaceId', 'varchar'], ['ctx_protocol', 'bigint'], ['ctx_srcAddr', 'varchar'], ['ctx_dstAddr', 'varchar'], ['ctx_srcPort', 'integer'], ['ctx_dstPort', 'integer']],
  waf: [['ctx_webAclId', 'varchar'], ['ctx_clientIp', 'varchar'], ['ctx_uri', 'varchar'], ['ctx_userAgent', 'varchar'], ['ctx_country', 'varchar']],
} as const;

/** The columns of a detector's aggregation result. */
export function aggregationColumns(detector: StatisticsDetector): { name: string; type: string }[] {
  return [
    { name: 'account', type: 'varchar' }, { name: 'region', type: 'varchar' }, { name: 'window_start', type: 'bigint' },
    ...detector.key.map((_, i) => ({ name: `k${i}`, type: 'varchar' })),
    { name: 'value', type: detector.metric.kind === 'ratio' ? 'double' : 'bigint' }, { name: 'volume', type: 'bigint' },
    ...CONTEXT_COLUMNS[detector.source].map(([name, type]) => ({ name, type })),
    { name: 'rank_in_scope', type: 'bigint' },
  ];
}

/** The range a query's parameters name: accounts first, then the two days, then from and to (no ratio filter before them). */
export function rangeOf(parameters: readonly (string | number)[], accounts: number): { accounts: string[]; from: number; to: number } {
  return { accounts: parameters.slice(0, accounts).map(String), from: Number(parameters[accounts + 2]), to: Number(parameters[accounts + 3]) };
}

/** What a key holds in a window. */
export type KeyValue = (windowStart: number, account: string) => number;

/** One row per account and window of the range, for a flow detector keyed by one address. */
export function keyRows(detector: StatisticsDetector, parameters: readonly (string | number)[], accounts: number, key: string, value: KeyValue): ScriptedRows {
  const range = rangeOf(parameters, accounts);
  const rows: ScriptedRows['rows'][number][] = [];
  for (const account of range.accounts) {
    for (let start = range.from; start < range.to; start += detector.windowSeconds) {
      const v = value(start, account);
      rows.push({
        account, region: 'us-east-1', window_start: start, k0: key, value: v, volume: v,
        ctx_interfaceId: 'eni-0a1b2c3d4e5f60718', ctx_protocol: 6, ctx_srcAddr: key, ctx_dstAddr: '10.0.2.9', ctx_srcPort: 49152, ctx_dstPort: 22, rank_in_scope: 1,
      });
    }
  }
  return { columns: aggregationColumns(detector), rows };
}

/** A result with no rows. */
export const noRows = (detector: StatisticsDetector): ScriptedRows => ({ columns: aggregationColumns(detector), rows: [] });
