/**
 * The scheduled statistics run over the Athena adapter and its fake (every request checked against
 * the AWS model): which windows each run reads, progress kept per detector, a failing detector
 * reported while the others run, and values bound as parameters, never spliced into the SQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine } from '../../../central/aws/adapters/athena-query-engine.js';
import { MemoryStateStore } from '../../../central/core/state/memory-store.js';
import { ATHENA_DIALECT, aggregationSql } from '../../../central/core/statistics/aggregation-sql.js';
import type { StatisticsDetector } from '../../../central/core/statistics/definition.js';
import { runKey, runScheduledStatistics, type ScheduledStatisticsOptions } from '../../../central/core/statistics/scheduled-run.js';
import { keyRows, noRows } from '../../support/aggregation-rows.js';
import { fakeAthena, type AthenaFake, type ScriptedQuery } from '../../support/athena-fake.js';
import { ManualClock, RecordingSink } from '../../support/detector.js';
import { DAY, flowDetector } from './support.js';

const ACCOUNTS = ['111122223333', '444455556666'];
const CUTOFF = 10 * 1024 ** 3;
/** Saturday 21 November 2026 12:00 UTC: windows up to 11:45 are closed (900 s grace). */
const NOON = Date.parse('2026-11-21T12:00:00Z');
const CLOSED = NOON / 1000 - 900;
const WEEK_BACK = CLOSED - 7 * DAY;

// Different keys, so different SQL texts: the fake scripts queries by their text.
const bySource = flowDetector({ id: 'flows-per-source', key: ['srcaddr'] });
const byDestination = flowDetector({ id: 'flows-per-destination', key: ['dstaddr'] });
const byInterface = flowDetector({ id: 'flows-per-interface', key: ['interface'] });
const byPort = flowDetector({ id: 'flows-per-port', key: ['dstport'] });

let athena: AthenaFake;
let clock: ManualClock;
let state: MemoryStateStore;
let sink: RecordingSink;

beforeEach(() => {
  athena = fakeAthena(1000);
  clock = new ManualClock(NOON);
  state = new MemoryStateStore();
  sink = new RecordingSink();
});
afterEach(() => {
  expect(athena.invalid).toEqual([]);
  athena.restore();
});

const engine = () =>
  new AthenaQueryEngine({
    client: athena.client, workGroup: 'skywatch', database: 'skywatch_logs', bytesScannedCutoff: CUTOFF, clock, throttleAttempts: 2,
    sleep: async (ms) => clock.advance(ms),
  });

const script = (detector: StatisticsDetector, query: ScriptedQuery, accounts = ACCOUNTS.length) =>
  athena.script(aggregationSql(detector, { accounts: ACCOUNTS.slice(0, accounts), from: 0, to: 1 }, ATHENA_DIALECT).sql, { states: [], ...query });

const run = (detectors: StatisticsDetector[], options: Partial<ScheduledStatisticsOptions> = {}) =>
  runScheduledStatistics({ detectors, query: engine(), dialect: ATHENA_DIALECT, state, sink, accounts: ACCOUNTS, now: clock.now(), clock, queryTimeoutMs: 60_000, ...options });

const literal = (v: string | number) => (typeof v === 'string' ? `'${v}'` : String(v));
const progress = async (d: StatisticsDetector) => (await state.get(runKey(d.id)))?.value;

describe('a scheduled statistics run', () => {
  it('reads the training days on a cold start, one day partition per query, every value bound as a parameter', async () => {
    script(bySource, { answer: () => noRows(bySource), bytesScanned: 52_428_800 });
    const result = await run([bySource]);
    expect(result.perDetector).toEqual([
      { detector: 'flows-per-source', outcome: 'judged', from: WEEK_BACK, to: CLOSED, windows: 0, rows: 0, findings: 0, bytesScanned: 8 * 52_428_800, costUsd: 8 * (50 * 1024 ** 2 / 1024 ** 4) * 5 },
    ]);
    const midnight = (day: number) => Date.UTC(2026, 10, day) / 1000;
    expect(athena.started.map((s) => s.ExecutionParameters)).toEqual([
      [...ACCOUNTS, '2026/11/14', '2026/11/14', WEEK_BACK, midnight(15)],
      ...[15, 16, 17, 18, 19, 20].map((day) => [...ACCOUNTS, `2026/11/${day}`, `2026/11/${day}`, midnight(day), midnight(day + 1)]),
      [...ACCOUNTS, '2026/11/21', '2026/11/21', midnight(21), CLOSED],
    ].map((parameters) => parameters.map(literal)));
    for (const started of athena.started) {
      expect(started.WorkGroup).toBe('skywatch');
      for (const value of [...ACCOUNTS, '2026/11/', String(WEEK_BACK), String(CLOSED)]) expect(started.QueryString).not.toContain(value);
    }
    expect(await progress(bySource)).toEqual({ closedThrough: CLOSED - 300 });
  });

  it('reads only the windows closed since the last run on the next run, and nothing when none closed', async () => {
    script(bySource, { answer: () => noRows(bySource) });
    await run([bySource]);
    clock.advance(15 * 60_000);
    await run([bySource]);
    expect(athena.started).toHaveLength(9);
    expect(athena.started[8]!.ExecutionParameters!.slice(-2)).toEqual([literal(CLOSED), literal(CLOSED + 900)]);
    expect(await progress(bySource)).toEqual({ closedThrough: CLOSED + 600 });
    const again = await run([bySource]);
    expect(again.perDetector).toEqual([{ detector: 'flows-per-source', outcome: 'up-to-date', from: CLOSED + 900, to: CLOSED + 900, windows: 0, rows: 0, findings: 0 }]);
    expect(athena.started).toHaveLength(9);
  });

  it('reads no more than a day beyond the training days after a long outage', async () => {
    await state.put(runKey(bySource.id), { closedThrough: CLOSED - 30 * DAY }, undefined);
    script(bySource, { answer: () => noRows(bySource) });
    const [report] = (await run([bySource])).perDetector;
    expect([report!.from, report!.to]).toEqual([CLOSED - 8 * DAY, CLOSED]);
  });

  it('reports a throttled, a failed, a bytes-limited and a timed-out query, and still runs the other detector', async () => {
    athena.throttle('StartQueryExecution', 2);
    script(bySource, { answer: () => noRows(bySource) });
    script(byDestination, { fail: { reason: 'COLUMN_NOT_FOUND: line 3:5: Column \'dstaddr\' cannot be resolved' } });
    script(byInterface, { cancel: { reason: 'Query cancelled: the bytes scanned limit was exceeded' }, bytesScanned: CUTOFF });
    script(byPort, { states: 'forever' });
    const ok = flowDetector({ id: 'flows-per-source-port', key: ['srcport'] });
    script(ok, { answer: () => noRows(ok) });
    const result = await run([bySource, byDestination, byInterface, byPort, ok]);
    expect(result.perDetector.map((r) => [r.detector, r.outcome, r.error?.kind, r.bytesScanned])).toEqual([
      ['flows-per-source', 'failed', 'throttled', undefined],
      ['flows-per-destination', 'failed', 'query-failed', undefined],
      ['flows-per-interface', 'failed', 'bytes-limit', CUTOFF],
      ['flows-per-port', 'failed', 'timeout', undefined],
      ['flows-per-source-port', 'judged', undefined, 0],
    ]);
    expect(result.perDetector[1]!.error!.message).toBe("athena query failed: COLUMN_NOT_FOUND: line 3:5: Column 'dstaddr' cannot be resolved");
    expect(athena.stopped).toHaveLength(1);
    // The failed detectors' claims are given back, their progress untouched: the next run starts them over.
    for (const d of [bySource, byDestination, byInterface, byPort]) expect(await progress(d), d.id).toEqual({});
    expect(await progress(ok)).toEqual({ closedThrough: CLOSED - 300 });
  });

  it('queries nothing without a member account', async () => {
    const result = await run([bySource, byDestination], { accounts: [] });
    expect(result.perDetector.map((r) => r.outcome)).toEqual(['no-accounts', 'no-accounts']);
    expect(athena.calls.StartQueryExecution).toBeUndefined();
  });

  it('skips a detector another run holds, and takes over a claim older than the lease', async () => {
    await state.put(runKey(bySource.id), { closedThrough: CLOSED - 900, claimedAt: NOON - 60_000 }, undefined);
    await state.put(runKey(byDestination.id), { closedThrough: CLOSED - 900, claimedAt: NOON - 20 * 60_000 }, undefined);
    script(byDestination, { answer: () => noRows(byDestination) });
    const result = await run([bySource, byDestination]);
    expect(result.perDetector.map((r) => [r.detector, r.outcome])).toEqual([['flows-per-source', 'busy'], ['flows-per-destination', 'judged']]);
    expect(athena.started).toHaveLength(1);
    expect(await progress(bySource)).toEqual({ closedThrough: CLOSED - 900, claimedAt: NOON - 60_000 });
    expect(await progress(byDestination)).toEqual({ closedThrough: CLOSED - 300 });
  });

  it('stores the days read when the deadline comes, defers the detectors after, and goes on from there next run', async () => {
    script(bySource, { states: ['RUNNING'], answer: () => noRows(bySource) });
    script(byDestination, { answer: () => noRows(byDestination) });
    // The first query polls once (250 ms); another could then run past the deadline.
    const result = await run([bySource, byDestination], { deadline: new Date(NOON + 60_100), queryTimeoutMs: 60_000 });
    const nextMidnight = Date.UTC(2026, 10, 15) / 1000;
    expect(result.perDetector.map((r) => [r.detector, r.outcome, r.from, r.to])).toEqual([['flows-per-source', 'partial', WEEK_BACK, nextMidnight], ['flows-per-destination', 'deferred', undefined, undefined]]);
    expect(await progress(bySource)).toEqual({ closedThrough: nextMidnight - 300 });
    expect(await progress(byDestination)).toBeUndefined();
    const next = await run([bySource]);
    expect(next.perDetector.map((r) => [r.outcome, r.from, r.to])).toEqual([['judged', nextMidnight, CLOSED]]);
  });

  it('trains on the first run and reports a spike on the next, findings in the sink before the progress moves on', async () => {
    const spikeFrom = CLOSED;
    script(bySource, { answer: (p) => keyRows(bySource, p, 2, '203.0.113.50', (start, account) => (start >= spikeFrom && account === ACCOUNTS[1] ? 5_000 : 50)) });
    const first = await run([bySource]);
    expect(first.perDetector[0]).toMatchObject({ outcome: 'judged', windows: 2 * 7 * 288, rows: 2 * 7 * 288, findings: 0 });
    clock.advance(15 * 60_000);
    const second = await run([bySource], { now: clock.now() });
    expect(second.perDetector[0]).toMatchObject({ outcome: 'judged', from: CLOSED, to: CLOSED + 900, windows: 6, findings: 1 });
    expect(second.findings.map((f) => [f.AwsAccountId, f.ProductFields!['skywatch/RuleId'], f.ProductFields!['skywatch/Statistics/Key'], f.ProductFields!['skywatch/Statistics/EpisodeWindows']])).toEqual([
      ['444455556666', 'statistics/flows-per-source', '203.0.113.50', '3'],
    ]);
    expect(sink.versions.map((f) => f.Id)).toEqual(second.findings.map((f) => f.Id));
  });
});
