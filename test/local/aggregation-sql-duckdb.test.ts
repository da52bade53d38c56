/**
 * The aggregation SQL that Athena runs in AWS, run by DuckDB over real files in the archive's S3
 * layout (gzipped VPC Flow Logs with their header line, gzipped WAF JSON lines), gives exactly what
 * the in-process accumulator gives for the decoded records of the same files: every shipped
 * detector, every window, every key's value and volume.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS } from '../../central/core/decode/limits.js';
import { layoutOfPath } from '../../central/core/netlogs/log-layout.js';
import { recordSeconds, type NetworkRecord } from '../../central/core/netlogs/records.js';
import { DetectorAccumulator, type KeyAggregate } from '../../central/core/statistics/accumulator.js';
import type { ClosedWindow } from '../../central/core/statistics/closed-window.js';
import { aggregatesFromRows, aggregationSql, DUCKDB_DIALECT } from '../../central/core/statistics/aggregation-sql.js';
import { scopeOf, scopePositions, TRACKED_SHARE_OF_MINIMUM } from '../../central/core/statistics/closed-window.js';
import type { StatisticsDetector } from '../../central/core/statistics/definition.js';
import { compileFilters } from '../../central/core/statistics/fields.js';
import { DuckDbQueryEngine } from '../../central/local/duckdb-query-engine.js';
import { readNetworkFile } from '../../central/local/network-files.js';
import { loadStatisticsFolders } from '../../central/local/statistics-files.js';
import { ACCOUNT_A, ACCOUNT_B, writeFlowLog } from '../support/log-archive.js';
import { seededRandom } from '../support/seeded.js';

/** Friday 20 November 2026 23:40 UTC: the windows cross midnight, so two day partitions. */
const T0 = Date.UTC(2026, 10, 20, 23, 40) / 1000;
const SPAN = 40 * 60;
const detectors = loadStatisticsFolders().detectors.map((l) => l.detector);

const random = seededRandom(20261120);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (n: number) => Math.floor(random() * n);

const PRIVATE = ['10.0.1.5', '10.0.1.20', '172.16.4.7', '192.168.10.3', '100.64.0.9', 'fd00:ec2::1b', '10.0.2.9'];
const PUBLIC = ['198.51.100.7', '203.0.113.9', '192.0.2.44', '2001:db8:4::15', '172.32.0.5', '8.8.8.8'];
const INTERFACES = ['eni-0a1b2c3d4e5f60001', 'eni-0a1b2c3d4e5f60002', 'eni-0a1b2c3d4e5f60003'];

/** A v2 flow line: the default format, as the header of writeFlowLog names it. */
function flowLine(account: string, start: number, f: { eni?: string; src: string; dst: string; srcPort?: number; dstPort: number; bytes?: number; action?: 'ACCEPT' | 'REJECT'; protocol?: number }): string {
  return `2 ${account} ${f.eni ?? pick(INTERFACES)} ${f.src} ${f.dst} ${f.srcPort ?? 32768 + int(20000)} ${f.dstPort} ${f.protocol ?? 6} ${1 + int(40)} ${f.bytes ?? 40 + int(90_000)} ${start} ${start + 60} ${f.action ?? 'ACCEPT'} OK`;
}

/** An account's flows: background traffic, a vertical and a horizontal scan, refusals and one large upload. */
function flows(account: string): string[][] {
  const byDay: string[][] = [[], []];
  const add = (start: number, line: string) => byDay[start < T0 + 20 * 60 ? 0 : 1]!.push(line);
  for (let i = 0; i < 600; i++) {
    const start = T0 + int(SPAN);
    const src = random() < 0.5 ? pick(PRIVATE) : pick(PUBLIC);
    add(start, flowLine(account, start, { src, dst: random() < 0.5 ? pick(PRIVATE) : pick(PUBLIC), dstPort: pick([22, 80, 443, 445, 3389, 5432]), action: random() < 0.3 ? 'REJECT' : 'ACCEPT', protocol: pick([6, 6, 17, 1]) }));
  }
  const scan = T0 + 10 * 60;
  for (let port = 1; port <= 80; port++) add(scan + (port % 50), flowLine(account, scan + (port % 50), { src: '203.0.113.66', dst: '10.0.1.20', dstPort: port, action: port % 3 ? 'REJECT' : 'ACCEPT' }));
  for (let host = 1; host <= 60; host++) add(scan + 400 + host, flowLine(account, scan + 400 + host, { src: '10.0.1.99', dst: `10.0.2.${host}`, dstPort: 445 }));
  const upload = T0 + 25 * 60;
  for (let i = 0; i < 5; i++) add(upload + i * 30, flowLine(account, upload + i * 30, { src: '10.0.1.5', dst: '198.51.100.200', dstPort: 443, bytes: 30_000_000 + i }));
  byDay[0]!.push(`2 ${account} eni-0a1b2c3d4e5f60003 - - - - - - - ${T0 + 30} ${T0 + 90} - NODATA`);
  byDay[1]!.push(`2 ${account} eni-0a1b2c3d4e5f60002 - - - - - - - ${T0 + 1500} ${T0 + 1560} - SKIPDATA`);
  return byDay;
}

const URIS = ['/', '/login', '/api/cart', '/.env', '/admin', '/wp-login.php', '/static/app.js'];
const RULES = { ALLOW: ['Default_Action', 'Default_Action', 'AllowOfficeIPs'], BLOCK: ['AWS-AWSManagedRulesSQLiRuleSet', 'RateLimitLogin', 'GeoBlockList'] } as const;
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64)', 'curl/8.5.0', 'sqlmap/1.8'];

/** A WAF log entry as AWS WAF writes it; the User-Agent header in either case, or missing. */
function wafEntry(account: string, acl: { name: string; arn: string }, timestamp: number, clientIp: string, uri = pick(URIS)): object {
  const action = random() < 0.35 ? 'BLOCK' : 'ALLOW';
  const headers = [{ name: 'Host', value: pick(['shop.example.com', 'api.example.com']) }];
  const agent = random();
  if (agent < 0.45) headers.push({ name: 'User-Agent', value: pick(AGENTS) });
  else if (agent < 0.9) headers.push({ name: 'user-agent', value: pick(AGENTS) });
  return {
    timestamp, formatVersion: 1, webaclId: acl.arn, terminatingRuleId: pick(RULES[action]), terminatingRuleType: 'REGULAR', action,
    terminatingRuleMatchDetails: [], httpSourceName: 'ALB', httpSourceId: `${account}-app/shop/abc`, ruleGroupList: [], rateBasedRuleList: [], nonTerminatingMatchingRules: [],
    requestHeadersInserted: null, responseCodeSent: null,
    httpRequest: { clientIp, country: pick(['US', 'DE', 'BR', 'CN', 'FR']), headers, uri, args: '', httpVersion: 'HTTP/1.1', httpMethod: pick(['GET', 'POST']), requestId: `req-${timestamp}-${int(1e6)}` },
    labels: [],
  };
}

/** Writes one gzipped WAF log file per minute folder that has requests, as WAF delivers to S3. */
function writeWafMinutes(root: string, account: string, region: string, acl: { name: string; arn: string }, entries: { timestamp: number }[]): void {
  const byMinute = new Map<string, object[]>();
  for (const e of entries.sort((a, b) => a.timestamp - b.timestamp)) {
    const minute = new Date(Math.floor(e.timestamp / 300_000) * 300_000).toISOString().slice(0, 16).replace(/[-T:]/g, '/');
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), e]);
  }
  for (const [minute, lines] of byMinute) {
    const dir = join(root, 'AWSLogs', account, 'WAFLogs', region, acl.name, minute);
    mkdirSync(dir, { recursive: true });
    const name = `${account}_waflogs_${region}_${acl.name}_${minute.replaceAll('/', '')}_a1b2c3d4.log.gz`;
    writeFileSync(join(dir, name), gzipSync(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
  }
}

/** An account's requests: background browsing, one client walking word lists, one flooding the login. */
function requests(account: string, acl: { name: string; arn: string }): { timestamp: number }[] {
  const out: { timestamp: number }[] = [];
  const at = () => (T0 + int(SPAN)) * 1000 + int(1000);
  for (let i = 0; i < 500; i++) out.push(wafEntry(account, acl, at(), pick([...PUBLIC.slice(0, 4), '192.0.2.10', '192.0.2.11'])) as { timestamp: number });
  for (let i = 0; i < 70; i++) out.push(wafEntry(account, acl, (T0 + 600 + i) * 1000 + 250, '198.51.100.66', `/probe/${i}`) as { timestamp: number });
  for (let i = 0; i < 120; i++) out.push(wafEntry(account, acl, (T0 + 1800) * 1000 + i * 2000, '203.0.113.77', '/login') as { timestamp: number });
  return out;
}

const acl = (account: string, region: string, name: string, scope = 'regional') => ({ name, arn: `arn:aws:wafv2:${region === 'cloudfront' ? 'us-east-1' : region}:${account}:${scope}/webacl/${name}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111` });

let root: string;
let engine: DuckDbQueryEngine;
let records: NetworkRecord[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'skywatch-aggregation-'));
  for (const [account, region] of [[ACCOUNT_A, 'us-east-1'], [ACCOUNT_B, 'eu-west-1']] as const) {
    const [first, second] = flows(account);
    writeFlowLog(root, account, region, '2026/11/20', first!, 'fl-0a1b2c3d');
    writeFlowLog(root, account, region, '2026/11/21', second!, 'fl-0a1b2c3d');
    writeWafMinutes(root, account, region, acl(account, region, 'shop-acl'), requests(account, acl(account, region, 'shop-acl')));
  }
  writeWafMinutes(root, ACCOUNT_A, 'cloudfront', acl(ACCOUNT_A, 'cloudfront', 'cdn-acl', 'global'), requests(ACCOUNT_A, acl(ACCOUNT_A, 'cloudfront', 'cdn-acl', 'global')));
  records = [];
  for (const path of readdirSync(root, { recursive: true, encoding: 'utf8' }).map((p) => join(root, p)).filter((p) => p.endsWith('.gz'))) {
    const read = await readNetworkFile(path, layoutOfPath(path)!, DEFAULT_INPUT_LIMITS);
    expect(read.problems.filter((p) => p.level !== 'notice')).toEqual([]);
    records.push(...read.records);
  }
  engine = await DuckDbQueryEngine.open({ root, threads: 2 });
}, 60_000);
afterAll(() => {
  engine?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The windows the accumulator closes for the records, fed in time order (so none is late). */
function accumulated(detector: StatisticsDetector): ClosedWindow[] {
  const acc = new DetectorAccumulator(detector);
  const ordered = [...records].sort((a, b) => recordSeconds(a) - recordSeconds(b));
  const windows = ordered.flatMap((r) => acc.add(r));
  return [...windows, ...acc.flush()];
}

type Row = [key: string, value: number, volume: number];
const rowsOf = (keys: readonly KeyAggregate[]): Row[] => keys.map((k): Row => [k.key.join(' | '), k.value, k.volume]).sort((a, b) => a[0].localeCompare(b[0]));

/**
 * What the engine judges of a window: per scope, the topK heaviest keys that reach a tenth of the
 * minimum volume (ties by key). The accumulator hands over only those; the SQL path every row.
 */
function judged(detector: StatisticsDetector, window: ClosedWindow): Row[] {
  const positions = scopePositions(detector);
  const floor = detector.settings.minVolume * TRACKED_SHARE_OF_MINIMUM;
  const byScope = new Map<string, KeyAggregate[]>();
  for (const k of window.keys) {
    if ((detector.metric.kind === 'ratio' ? k.volume : k.value) < floor) continue;
    const id = scopeOf(k.key, positions).join(' | ');
    byScope.set(id, [...(byScope.get(id) ?? []), k]);
  }
  const top = [...byScope.values()].flatMap((ks) => [...ks].sort((a, b) => b.value - a.value || (a.key.join() < b.key.join() ? -1 : 1)).slice(0, detector.settings.topK));
  return rowsOf(top);
}

/** Each scope's member count and peer sums, by scope. */
const scopeSums = (window: ClosedWindow) => new Map(window.scopes.map((s) => [s.scope.join(' | '), s]));

describe('the aggregation SQL on DuckDB', () => {
  it('reads files the fixture wrote for both log kinds, accounts and days', () => {
    expect(new Set(records.map((r) => `${r.kind} ${r.account} ${r.region}`))).toEqual(
      new Set([`flow ${ACCOUNT_A} us-east-1`, `flow ${ACCOUNT_B} eu-west-1`, `waf ${ACCOUNT_A} us-east-1`, `waf ${ACCOUNT_B} eu-west-1`, `waf ${ACCOUNT_A} cloudfront`]),
    );
  });

  it('counts the planted vertical scan as one key with its 80 ports, in one window per account', async () => {
    const detector = detectors.find((d) => d.id === 'flow-vertical-port-scan')!;
    const result = await engine.run(aggregationSql(detector, { accounts: [ACCOUNT_A, ACCOUNT_B], from: T0, to: T0 + SPAN }, DUCKDB_DIALECT));
    const scan = result.rows.filter((r) => r.k0 === '203.0.113.66').map((r) => [r.account, r.window_start, r.k1, r.value, r.volume]);
    expect(scan).toEqual([[ACCOUNT_A, T0 + 600, '10.0.1.20', 80, 80], [ACCOUNT_B, T0 + 600, '10.0.1.20', 80, 80]]);
  });

  it.each(detectors.map((d) => [d.id, d] as const))('%s: every window and key agrees with the accumulator', async (_id, detector) => {
    // Each filter of the detector keeps some of its records and drops others, so it is tested both ways.
    const own = records.filter((r) => r.kind === detector.source);
    for (const filter of detector.where) {
      const kept = own.filter(compileFilters(detector.source, [filter])).length;
      expect(kept, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(kept, JSON.stringify(filter)).toBeLessThan(own.length);
    }
    const w = detector.windowSeconds;
    const range = { accounts: [ACCOUNT_A, ACCOUNT_B], from: Math.floor(T0 / w) * w - w, to: Math.ceil((T0 + SPAN) / w) * w + w };
    const result = await engine.run(aggregationSql(detector, range, DUCKDB_DIALECT));
    const sqlWindows = aggregatesFromRows(detector, result.rows);
    const processWindows = new Map(accumulated(detector).filter((window) => window.scopes.length > 0).map((window) => [`${window.account}/${window.region}/${window.windowStart}`, window]));
    expect(processWindows.size).toBeGreaterThan(1);
    expect([...sqlWindows.keys()].sort()).toEqual([...processWindows.keys()].sort());
    for (const [id, window] of processWindows) {
      // Peers learn from every key of a scope: the same count and sums on both paths.
      const sqlScopes = scopeSums(sqlWindows.get(id)!);
      for (const [scope, sums] of scopeSums(window)) {
        expect(sqlScopes.get(scope)?.count, `${id} ${scope}`).toBe(sums.count);
        expect(Math.abs(sqlScopes.get(scope)!.sumLog - sums.sumLog), `${id} ${scope}`).toBeLessThan(1e-6);
        expect(Math.abs(sqlScopes.get(scope)!.sumLogSquares - sums.sumLogSquares), `${id} ${scope}`).toBeLessThan(1e-6);
      }
      expect(sqlScopes.size, id).toBe(window.scopes.length);
    }
    const fromSql = new Map([...sqlWindows].map(([id, window]) => [id, judged(detector, window)]));
    const inProcess = new Map([...processWindows].map(([id, window]) => [id, judged(detector, window)]));
    for (const [id, expected] of inProcess) {
      const actual = fromSql.get(id)!;
      expect(actual.map(([key, , volume]) => [key, volume]), id).toEqual(expected.map(([key, , volume]) => [key, volume]));
      actual.forEach(([key, value], i) => {
        if (detector.metric.kind === 'ratio') expect(Math.abs(value - expected[i]![1]), `${id} ${key}`).toBeLessThan(1e-9);
        else expect(value, `${id} ${key}`).toBe(expected[i]![1]);
      });
    }
  });
});
