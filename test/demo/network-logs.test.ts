import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NETWORK_ATTACKS, generateNetworkLogs, NETWORK_ATTACKERS, SCANNER_USER_AGENTS, V2_HEADER, V5_HEADER, type NetworkLogSummary } from '../../central/demo/network/index.js';
import { rhythmFor } from '../../central/demo/network/rhythm.js';
import { buildOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const START = Date.parse('2026-11-09T00:00:00Z');
const HOUR = 3_600_000;

/** Generates one training day (Monday) and the attack day (Tuesday) at 30% of the demo's benign rate. */
async function generate(attacks: boolean, seed = 7, extra: { days?: number; attackDay?: number; scale?: number } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'sw-netlogs-'));
  made.push(root);
  const rng = createRandom(seed);
  const org = buildOrganization(rng);
  const summary = await generateNetworkLogs(org, rng, { root, start: new Date(START), days: extra.days ?? 1, attacks, scale: extra.scale ?? 0.3, attackDay: extra.attackDay });
  return { root, summary };
}

const filesBelow = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();

const text = (path: string) => gunzipSync(readFileSync(path)).toString('utf8');

const FLOW_FILE = /^AWSLogs\/(\d{12})\/vpcflowlogs\/(us-east-1|eu-west-1)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_vpcflowlogs_\2_(fl-[0-9a-f]{8})_\3\4\5T(\d{2})(\d{2})Z_[0-9a-f]{8}\.log\.gz$/;
const WAF_FILE = /^AWSLogs\/(\d{12})\/WAFLogs\/(us-east-1|cloudfront)\/([a-z-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/(\d{2})\/\1_waflogs_\2_\3_\4\5\6T\7\8Z_[0-9a-f]{8}\.log\.gz$/;
const WEBACL_ARN = /^arn:aws:wafv2:us-east-1:(\d{12}):(regional|global)\/webacl\/([a-z-]+)\/[0-9a-f-]{36}$/;

interface Flow { [field: string]: string }
interface Waf {
  timestamp: number; action: string; terminatingRuleId: string; terminatingRuleType: string;
  httpRequest: { clientIp: string; country: string; uri: string; args: string; httpMethod: string; headers: { name: string; value: string }[] };
}

/** Every file of a run, decompressed once: flow records keyed by header fields, WAF records parsed. */
function readRun(root: string) {
  const files = filesBelow(join(root, 'AWSLogs')).map((f) => relative(root, f));
  const contents = new Map(files.map((f) => [f, text(join(root, f))]));
  const flows: Flow[] = [];
  const wafs: Waf[] = [];
  for (const [file, body] of contents) {
    const lines = body.trimEnd().split('\n');
    if (FLOW_FILE.test(file)) {
      const fields = lines[0]!.split(' ');
      for (const line of lines.slice(1)) {
        const values = line.split(' ');
        flows.push(Object.fromEntries(fields.map((f, i) => [f, values[i]!])));
      }
    } else for (const line of lines) wafs.push(JSON.parse(line) as Waf);
  }
  return { files, contents, flows, wafs };
}

const hour = (seconds: number) => new Date(seconds * 1000).getUTCHours();
const day = (ms: number) => Math.floor((ms - START) / (24 * HOUR));
const agentOf = (w: Waf) => w.httpRequest.headers.find((h) => h.name === 'User-Agent')?.value;

let run: { summary: NetworkLogSummary; root: string } & ReturnType<typeof readRun>;
let benign: { summary: NetworkLogSummary; root: string } & ReturnType<typeof readRun>;
beforeAll(async () => {
  const withAttacks = await generate(true);
  const without = await generate(false);
  run = { ...withAttacks, ...readRun(withAttacks.root) };
  benign = { ...without, ...readRun(without.root) };
});

describe('the demo network logs', () => {
  it('writes byte-identical files when run twice with the same seed', async () => {
    const again = await generate(true);
    const hashOf = (root: string, files: readonly string[]) => {
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update('\0').update(readFileSync(join(root, f)));
      return hash.digest('hex');
    };
    expect(filesBelow(join(again.root, 'AWSLogs')).map((f) => relative(again.root, f))).toEqual(run.files);
    expect(hashOf(again.root, run.files)).toBe(hashOf(run.root, run.files));
    expect({ ...again.summary, root: '', paths: [] }).toEqual({ ...run.summary, root: '', paths: [] });
  });

  it('covers the training day and the attack day after it, in 5-minute files for three flow logs and two web ACLs', () => {
    const s = run.summary;
    expect([s.start, s.end, s.trainingDays]).toEqual(['2026-11-09T00:00:00.000Z', '2026-11-11T00:00:00.000Z', 1]);
    expect(s.attackDay).toEqual({ index: 1, start: '2026-11-10T00:00:00.000Z', end: '2026-11-11T00:00:00.000Z' });
    expect(s.flowLogs.map((f) => [f.accountName, f.region, f.format, f.files])).toEqual([
      ['prod-web', 'us-east-1', 'v2', 576],
      ['prod-payments', 'eu-west-1', 'v2', 576],
      ['data-analytics', 'us-east-1', 'v5', 576],
    ]);
    expect(s.webAcls.map((a) => [a.accountName, a.region, a.name])).toEqual([
      ['prod-web', 'us-east-1', 'prod-web-alb'],
      ['prod-payments', 'cloudfront', 'payments-cdn'],
    ]);
    expect(run.files.length).toBe(s.files);
    expect([run.flows.length, run.wafs.length]).toEqual([s.flowRecords, s.wafRecords]);
  });

  it('lays every file out as VPC Flow Logs and WAF deliver them, each under its own account and window', () => {
    const byName = new Map(run.summary.flowLogs.map((f) => [f.flowLogId, f]));
    const acls = new Map(run.summary.webAcls.map((a) => [a.name, a]));
    expect(run.files.filter((f) => !FLOW_FILE.test(f) && !WAF_FILE.test(f))).toEqual([]);
    const problems: string[] = [];
    for (const file of run.files) {
      const body = run.contents.get(file)!;
      const flow = FLOW_FILE.exec(file);
      if (flow) {
        const log = byName.get(flow[6]!)!;
        if (log.accountId !== flow[1] || log.region !== flow[2]) problems.push(`${file}: another flow log's folder`);
        const [header, ...lines] = body.trimEnd().split('\n');
        if (header !== (log.format === 'v5' ? V5_HEADER : V2_HEADER)) problems.push(`${file}: header ${header}`);
        const windowStart = Date.UTC(+flow[3]!, +flow[4]! - 1, +flow[5]!, +flow[7]!, +flow[8]!) / 1000;
        for (const line of lines) {
          const [version, account, , , , , , , , , start] = line.split(' ');
          const offset = +start! - windowStart;
          if (version !== (log.format === 'v5' ? '5' : '2') || account !== log.accountId || !(offset >= 0 && offset < 300)) problems.push(`${file}: ${line}`);
        }
      } else {
        const waf = WAF_FILE.exec(file)!;
        const acl = acls.get(waf[3]!)!;
        if (acl.accountId !== waf[1] || acl.region !== waf[2]) problems.push(`${file}: another web ACL's folder`);
        const windowStart = Date.UTC(+waf[4]!, +waf[5]! - 1, +waf[6]!, +waf[7]!, +waf[8]!);
        for (const line of body.trimEnd().split('\n')) {
          const offset = (JSON.parse(line) as Waf).timestamp - windowStart;
          if (!(offset >= 0 && offset < 300_000)) problems.push(`${file}: ${line.slice(0, 40)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes v2 and v5 records with the fields decoders must cope with: NODATA, dashes, both flow directions', () => {
    const v5 = run.flows.filter((f) => f.version === '5');
    const v2 = run.flows.filter((f) => f.version === '2');
    expect(v2.length).toBeGreaterThan(0);
    expect(v5.length).toBeGreaterThan(0);
    const noData = run.flows.filter((f) => f['log-status'] === 'NODATA');
    expect(noData.length).toBeGreaterThan(100);
    for (const f of noData) expect([f.srcaddr, f.dstaddr, f.srcport, f.dstport, f.protocol, f.packets, f.bytes, f.action]).toEqual(['-', '-', '-', '-', '-', '-', '-', '-']);
    expect(new Set(v5.filter((f) => f['log-status'] === 'OK').map((f) => `${f['flow-direction']}:${f['traffic-path'] === '-' ? '-' : 'path'}`))).toEqual(new Set(['ingress:-', 'egress:path']));
    expect(v5.some((f) => f['instance-id'] === '-' && f['log-status'] === 'OK')).toBe(true);
    expect(new Set(run.flows.filter((f) => f.action === 'REJECT' && !f.srcaddr!.startsWith('203.0.113.')).map((f) => f.dstport))).toEqual(new Set(['22', '23', '3389', '445']));
  });

  it('writes every WAF line as a JSON record with the fields of the WAF log format, in time order', () => {
    const problems: string[] = [];
    const fields = ['timestamp', 'formatVersion', 'webaclId', 'terminatingRuleId', 'terminatingRuleType', 'action', 'terminatingRuleMatchDetails', 'httpSourceName', 'httpSourceId', 'ruleGroupList', 'rateBasedRuleList', 'nonTerminatingMatchingRules', 'requestHeadersInserted', 'responseCodeSent', 'httpRequest', 'labels'].join();
    const requestFields = ['clientIp', 'country', 'headers', 'uri', 'args', 'httpVersion', 'httpMethod', 'requestId'].join();
    for (const file of run.files.filter((f) => WAF_FILE.test(f))) {
      const [, account, folder, name] = WAF_FILE.exec(file)!;
      const cloudfront = folder === 'cloudfront';
      let previous = 0;
      for (const line of run.contents.get(file)!.trimEnd().split('\n')) {
        const r = JSON.parse(line) as Record<string, unknown> & Waf;
        const arn = WEBACL_ARN.exec(r.webaclId as string);
        const ok =
          Object.keys(r).join() === fields &&
          arn !== null && arn[1] === account && arn[2] === (cloudfront ? 'global' : 'regional') && arn[3] === name &&
          r.formatVersion === 1 && r.httpSourceName === (cloudfront ? 'CF' : 'ALB') && typeof r.httpSourceId === 'string' &&
          r.requestHeadersInserted === null && r.responseCodeSent === null && (r.action === 'ALLOW' || r.action === 'BLOCK') &&
          typeof r.terminatingRuleId === 'string' && ['REGULAR', 'RATE_BASED', 'MANAGED_RULE_GROUP'].includes(r.terminatingRuleType) &&
          [r.ruleGroupList, r.rateBasedRuleList, r.nonTerminatingMatchingRules, r.labels].every(Array.isArray) &&
          Object.keys(r.httpRequest).join() === requestFields &&
          r.httpRequest.headers[0]?.name === 'Host' && r.httpRequest.headers[1]?.name === 'User-Agent' &&
          Number.isInteger(r.timestamp) && r.timestamp >= previous;
        if (!ok) problems.push(`${file}: ${line}`);
        previous = r.timestamp;
      }
    }
    expect(problems).toEqual([]);
  });

  it('blocks about 1% of benign requests with the Core Rule Set', () => {
    const blocked = benign.wafs.filter((w) => w.action === 'BLOCK');
    expect(new Set(blocked.map((w) => w.terminatingRuleId))).toEqual(new Set(['AWS-AWSManagedRulesCommonRuleSet']));
    expect(blocked.length / benign.wafs.length).toBeGreaterThan(0.005);
    expect(blocked.length / benign.wafs.length).toBeLessThan(0.02);
  });

  it('follows a daily rhythm: the working afternoon carries well over twice the night, and weekends less than weekdays', () => {
    const training = benign.flows.filter((f) => f.start !== '-' && day(+f.start! * 1000) === 0);
    const afternoon = training.filter((f) => hour(+f.start!) >= 12 && hour(+f.start!) < 16).length;
    const night = training.filter((f) => hour(+f.start!) < 4).length;
    expect(afternoon / night).toBeGreaterThan(2);
    const requests = benign.wafs.filter((w) => day(w.timestamp) === 0);
    const wafAfternoon = requests.filter((w) => hour(w.timestamp / 1000) >= 12 && hour(w.timestamp / 1000) < 16).length;
    const wafNight = requests.filter((w) => hour(w.timestamp / 1000) < 4).length;
    expect(wafAfternoon / wafNight).toBeGreaterThan(3);
    const rhythm = rhythmFor(createRandom(1));
    expect(rhythm.level(Date.parse('2026-11-14T14:00:00Z')) / rhythm.level(Date.parse('2026-11-09T14:00:00Z'))).toBeLessThan(0.65);
  });

  it('writes the same benign records with and without attacks, and no attacker address without them', () => {
    expect(run.files).toEqual(benign.files);
    let differing = 0;
    let extra = 0;
    for (const file of benign.files) {
      const before = benign.contents.get(file)!;
      const after = run.contents.get(file)!;
      if (before === after) continue;
      differing++;
      // The benign lines are all still there, in the same order, with planted lines between them.
      const kept = after.split('\n');
      let i = 0;
      for (const line of before.split('\n')) {
        while (i < kept.length && kept[i] !== line) i++, extra++;
        expect(i).toBeLessThan(kept.length);
        i++;
      }
      extra += kept.length - i;
    }
    const planted = run.summary.planted.reduce((n, p) => n + p.flowRecords + p.wafRecords, 0);
    expect(extra).toBe(planted);
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThan(run.files.length / 4);
    const all = [...benign.contents.values()].join('\n');
    for (const address of Object.values(NETWORK_ATTACKERS)) expect(all.includes(address)).toBe(false);
    expect(/\b(203\.0\.113|198\.51\.100|192\.0\.2)\.\d/.test(all)).toBe(false);
    expect(benign.summary.planted).toEqual([]);
  });

  it('describes every planted attack on the attack day, in the order of DEMO_NETWORK_ATTACKS', () => {
    const planted = run.summary.planted;
    expect(planted.map((p) => [p.id, p.accountName, p.region])).toEqual([
      ['port-scan', 'prod-web', 'us-east-1'],
      ['horizontal-scan', 'prod-payments', 'eu-west-1'],
      ['known-bad-address', 'prod-web', 'us-east-1'],
      ['credential-stuffing', 'prod-web', 'us-east-1'],
      ['scanner-user-agent', 'prod-payments', 'cloudfront'],
      ['slow-ramp', 'data-analytics', 'us-east-1'],
      ['exfiltration', 'data-analytics', 'us-east-1'],
    ]);
    expect(planted.map((p) => p.id)).toEqual(DEMO_NETWORK_ATTACKS.map((k) => k.id));
    for (const p of planted) {
      expect(p.start >= run.summary.attackDay.start && p.end < run.summary.attackDay.end).toBe(true);
      expect(Date.parse(p.end) - Date.parse(p.start)).toBeLessThanOrEqual(p.duration);
    }
  });

  it('plants a vertical scan of 1,000 ports in 10 minutes from 203.0.113.23, all rejected but 80 and 443', () => {
    const probes = run.flows.filter((f) => f.srcaddr === NETWORK_ATTACKERS.portScanner);
    const starts = probes.map((f) => +f.start!);
    expect(new Set(probes.map((f) => f.dstport)).size).toBe(1000);
    expect(new Set(probes.map((f) => f['interface-id']))).toEqual(new Set([run.summary.planted[0]!.interfaceId]));
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(600);
    expect(probes.filter((f) => f.action === 'REJECT').length).toBe(998);
  });

  it('plants an internal sweep of port 22 on 200 addresses in 10 minutes', () => {
    const scan = run.summary.planted.find((p) => p.id === 'horizontal-scan')!;
    const syns = run.flows.filter((f) => f.srcaddr === scan.sourceAddress && f.dstport === '22');
    const starts = syns.map((f) => +f.start!);
    expect(new Set(syns.map((f) => f.dstaddr)).size).toBe(200);
    expect(syns.every((f) => f.dstaddr!.startsWith('10.'))).toBe(true);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(600);
    expect(benign.flows.filter((f) => f.srcaddr === scan.sourceAddress && f.dstport === '22')).toEqual([]);
  });

  it('plants 5,000,000,000 bytes to 203.0.113.200 within 15 minutes', () => {
    const out = run.flows.filter((f) => f.dstaddr === NETWORK_ATTACKERS.exfilDestination);
    const starts = out.map((f) => +f.start!);
    expect(out.reduce((n, f) => n + Number(f.bytes), 0)).toBe(5_000_000_000);
    expect(new Set(out.map((f) => f.srcaddr)).size).toBe(1);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(900);
  });

  it('plants a six-hour ramp in which each window is 1.3x to 2x the job\'s normal upload, rising step by step', () => {
    const ramp = run.summary.planted.find((p) => p.id === 'slow-ramp')!;
    const perWindow = (flows: readonly Flow[]) => {
      const sums = new Map<number, number>();
      for (const f of flows) {
        if (f.srcaddr !== ramp.sourceAddress || f.dstaddr !== ramp.targets[0]) continue;
        const w = Math.floor(+f.start! / 300);
        sums.set(w, (sums.get(w) ?? 0) + Number(f.bytes));
      }
      return sums;
    };
    const normal = [...perWindow(benign.flows).values()];
    const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
    expect(mean / ramp.magnitude.normalBytesPerWindow!).toBeCloseTo(1, 1);
    const first = Date.parse(ramp.start) / 300_000;
    const attacked = perWindow(run.flows);
    const ratios = Array.from({ length: 72 }, (_, j) => attacked.get(Math.floor(first) + j)! / mean);
    const hourly = Array.from({ length: 6 }, (_, h) => ratios.slice(h * 12, h * 12 + 12).reduce((a, b) => a + b, 0) / 12);
    expect(hourly[0]).toBeGreaterThan(1.2);
    expect(hourly[0]).toBeLessThan(1.5);
    expect(hourly[5]).toBeGreaterThan(1.8);
    for (let h = 1; h < 6; h++) expect(hourly[h]!).toBeGreaterThan(hourly[h - 1]!);
    expect(Math.max(...normal) / mean).toBeGreaterThan(1.2);
  });

  it('plants 3,000 POST /login from 203.0.113.77 in 10 minutes, blocked by the rate-based rule after the first 150', () => {
    const stuffing = run.wafs.filter((w) => w.httpRequest.clientIp === NETWORK_ATTACKERS.credentialStuffer);
    expect(stuffing.every((w) => w.httpRequest.httpMethod === 'POST' && w.httpRequest.uri === '/login')).toBe(true);
    expect(stuffing.length).toBe(3000);
    expect(stuffing.filter((w) => w.action === 'BLOCK' && w.terminatingRuleId === 'login-rate-limit' && w.terminatingRuleType === 'RATE_BASED').length).toBe(2850);
    expect(stuffing[stuffing.length - 1]!.timestamp - stuffing[0]!.timestamp).toBeLessThan(600_000);
  });

  it('plants flows and WAF requests from the IOC address 203.0.113.66', () => {
    expect(run.flows.filter((f) => f.srcaddr === NETWORK_ATTACKERS.knownBad).length).toBe(8);
    expect(run.wafs.filter((w) => w.httpRequest.clientIp === NETWORK_ATTACKERS.knownBad).length).toBe(24);
  });

  it('plants sqlmap and Nuclei probing /.env, /.git/config and /wp-login.php on the payments site', () => {
    for (const agent of [SCANNER_USER_AGENTS.sqlmap, SCANNER_USER_AGENTS.nuclei]) {
      const probes = run.wafs.filter((w) => agentOf(w) === agent);
      for (const uri of ['/.env', '/.git/config', '/wp-login.php']) expect(probes.some((w) => w.httpRequest.uri === uri)).toBe(true);
    }
    expect(run.wafs.filter((w) => agentOf(w) === SCANNER_USER_AGENTS.sqlmap).length).toBe(60);
    expect(run.wafs.filter((w) => agentOf(w) === SCANNER_USER_AGENTS.nuclei).length).toBe(120);
    expect(benign.wafs.some((w) => /sqlmap|Nuclei/.test(agentOf(w) ?? ''))).toBe(false);
  });

  it('plants the attacks on the day asked for, inside the training days if need be', async () => {
    const { summary } = await generate(true, 7, { days: 1, attackDay: 0, scale: 0.05 });
    expect([summary.end, summary.attackDay.start]).toEqual(['2026-11-10T00:00:00.000Z', '2026-11-09T00:00:00.000Z']);
    expect(summary.planted.every((p) => p.start.startsWith('2026-11-09'))).toBe(true);
  });
});
