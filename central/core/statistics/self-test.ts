/**
 * Runs the tests of a detector file: every window of a training period (the detector's own
 * `trainDays` plus a day) holds the test's `train` records, then one window holds its `window`
 * records, and the anomalies of that window must be what the test expects. The records go through
 * the same accumulator and engine as a replay, with a state store in memory.
 */
import type { FlowRecord, NetworkRecord, WafRecord } from '../netlogs/records.js';
import { MemoryStateStore } from '../state/memory-store.js';
import { DetectorAccumulator } from './accumulator.js';
import type { StatisticsDetector } from './definition.js';
import { StatisticsEngine, type StatisticsAnomaly } from './engine.js';
import type { LoadedStatisticsDetector } from './load.js';
import type { StatisticsTest } from './schema.js';

/** A failed test: its detector, name and what went wrong. */
export interface StatisticsTestFailure {
  readonly detector: string;
  readonly file: string;
  readonly test: string;
  readonly reason: string;
}

/** Monday 5 January 2026: tests run at fixed times so they give the same result on any day. */
const TEST_START = Date.UTC(2026, 0, 5) / 1000;
const TEST_ACCOUNT = '111122223333';
const TEST_REGION = 'us-east-1';
const NUMERIC = new Set(['srcport', 'dstport', 'protocol', 'bytes', 'packets']);

/** One test's outcome, shaped like the rule tests' so `skywatch rules test` lists them together. */
export interface StatisticsTestResult {
  readonly ruleId: string;
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly reason?: string;
}

/** Runs every test of the detectors; returns the failures (none when all pass), the count run, and each result. */
export async function runStatisticsTests(loaded: readonly LoadedStatisticsDetector[]): Promise<{ failures: StatisticsTestFailure[]; tests: number; results: StatisticsTestResult[] }> {
  const failures: StatisticsTestFailure[] = [];
  const results: StatisticsTestResult[] = [];
  for (const { detector, tests: cases } of loaded) {
    for (const test of cases) {
      const reason = await runOne(detector, test).catch((err: unknown) => `threw ${err instanceof Error ? err.message : String(err)}`);
      results.push({ ruleId: `statistics/${detector.id}`, file: detector.file, name: test.name, passed: !reason, ...(reason && { reason }) });
      if (reason) failures.push({ detector: detector.id, file: detector.file, test: test.name, reason });
    }
  }
  return { failures, tests: results.length, results };
}

/** The anomalies of a test's judged window. */
export async function anomaliesOfTest(detector: StatisticsDetector, test: StatisticsTest): Promise<StatisticsAnomaly[]> {
  const engine = new StatisticsEngine({ detectors: [detector], state: new MemoryStateStore() });
  const accumulator = new DetectorAccumulator(detector);
  const w = detector.windowSeconds;
  const trainWindows = Math.ceil(((detector.settings.trainDays + 1) * 86_400) / w);
  const judgedStart = TEST_START + trainWindows * w;
  const judge = async (records: NetworkRecord[]) => {
    const out: StatisticsAnomaly[] = [];
    for (const r of records) for (const closed of accumulator.add(r)) out.push(...(await engine.judge(closed)));
    return out;
  };
  const train = test.train.flatMap(expand);
  if (train.length) {
    // Every training window holds the same records: aggregate one, then judge it at each start.
    const once = new DetectorAccumulator(detector);
    for (const f of train) once.add(toRecord(detector, f, TEST_START));
    const [template] = once.flush();
    for (let i = 0; i < trainWindows; i++) await engine.judge({ ...template!, windowStart: TEST_START + i * w });
  }
  const found: StatisticsAnomaly[] = [];
  found.push(...(await judge(test.window.flatMap(expand).map((f) => toRecord(detector, f, judgedStart)))));
  for (const closed of accumulator.flush()) found.push(...(await engine.judge(closed)));
  return found.filter((a) => a.windowStart === judgedStart);
}

async function runOne(detector: StatisticsDetector, test: StatisticsTest): Promise<string | undefined> {
  const found = await anomaliesOfTest(detector, test);
  if (found.length !== test.expect.anomalies) {
    const what = found.map((a) => `${a.key.slice(2).join(' ')} (${a.reason}, ${a.value})`).join('; ') || 'none';
    return `expected ${test.expect.anomalies} anomalies in the judged window, found ${found.length}: ${what}`;
  }
  const first = found[0];
  if (first && test.expect.reason && first.reason !== test.expect.reason) return `expected reason ${test.expect.reason}, found ${first.reason}`;
  if (first && test.expect.key && first.key.slice(2).join(' ') !== test.expect.key.map(String).join(' ')) {
    return `expected key ${test.expect.key.join(' ')}, found ${first.key.slice(2).join(' ')}`;
  }
  return undefined;
}

type Fields = Record<string, string | number>;

/**
 * Expands `repeat: n`, numeric ranges (`dstport: 1-1000`) and ranges of an IPv4 address's last
 * part (`dstaddr: 10.0.4.1-200`) into one record each.
 */
function expand(fields: Fields): Fields[] {
  const { repeat = 1, ...rest } = fields;
  let out: Fields[] = [rest];
  for (const [name, value] of Object.entries(rest)) {
    if (typeof value !== 'string') continue;
    const numbers = NUMERIC.has(name) ? /^()(\d+)-(\d+)$/.exec(value) : /^(\d+\.\d+\.\d+\.)(\d+)-(\d+)$/.exec(value);
    if (!numbers) continue;
    const [prefix, lo, hi] = [numbers[1]!, Number(numbers[2]), Number(numbers[3])];
    out = out.flatMap((f) => Array.from({ length: hi - lo + 1 }, (_, i) => ({ ...f, [name]: prefix ? `${prefix}${lo + i}` : lo + i })));
  }
  return out.flatMap((f) => Array.from({ length: Number(repeat) }, () => f));
}

function toRecord(detector: StatisticsDetector, f: Fields, windowStart: number): NetworkRecord {
  const account = String(f.account ?? TEST_ACCOUNT);
  const region = String(f.region ?? TEST_REGION);
  const at = windowStart + 1;
  const num = (name: string, fallback?: number) => (f[name] === undefined ? fallback : Number(f[name]));
  const str = (name: string, fallback?: string) => (f[name] === undefined ? fallback : String(f[name]));
  if (detector.source === 'flow') {
    const record: FlowRecord = {
      kind: 'flow', account, region, version: 2, interfaceId: str('interface', 'eni-0a1b2c3d4e5f60718'),
      srcAddr: str('srcaddr'), dstAddr: str('dstaddr'), srcPort: num('srcport', 49152), dstPort: num('dstport', 443), protocol: num('protocol', 6),
      packets: num('packets', 10), bytes: num('bytes', 1_000), start: at, end: at + 50, action: (str('action', 'ACCEPT') as 'ACCEPT' | 'REJECT'), logStatus: 'OK',
    };
    return record;
  }
  const webAcl = str('webacl', 'shop-web')!;
  const record: WafRecord = {
    kind: 'waf', account, region, timestamp: at * 1000, webAclId: `arn:aws:wafv2:${region}:${account}:regional/webacl/${webAcl}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`, webAcl,
    action: str('action', 'ALLOW')!, terminatingRuleId: str('rule', 'Default_Action')!, clientIp: str('clientip', '192.0.2.10')!, country: str('country', 'US'),
    uri: str('uri', '/')!, httpMethod: str('method', 'GET'), host: str('host', 'shop.example.com'), userAgent: str('useragent', 'Mozilla/5.0'), labels: [],
  };
  return record;
}
