/**
 * The investigations over the demo organization, on DuckDB, through the real `skywatch` command: the
 * demo's logs are generated (a smaller week than `npm run demo`, the same attacks) and replayed into
 * a state folder, then `query run` and `investigate` read both. Row counts are checked against the
 * generated files, read here on their own, and against the replay's own counts in its findings.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { ATTACKERS } from '../../central/demo/attacks.js';
import { generateDemoOrganization, type DemoSummary } from '../../central/demo/generate.js';
import { replay, type ReplayReport } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { loadIocMatcher } from '../../central/local/statistics-files.js';
import { skywatchAsync } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'skywatch-query-demo-'));
const logs = join(work, 'demo');
const state = join(work, 'state');
afterAll(() => rmSync(work, { recursive: true, force: true }));

let demo: DemoSummary;
let report: ReplayReport;
let trail: Array<Record<string, any>>;

/** Every record of the generated organization trail, read straight from its gzipped files. */
function readTrail(root: string): Array<Record<string, any>> {
  const records: Array<Record<string, any>> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json.gz') && path.includes('/CloudTrail/')) records.push(...JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')).Records);
    }
  };
  walk(join(root, 'AWSLogs'));
  return records;
}

beforeAll(async () => {
  demo = await generateDemoOrganization({ outDir: logs, benignEvents: 20_000, networkScale: 0.2 });
  const { rules, problems } = await loadRuleFolders([], {});
  expect(problems).toEqual([]);
  report = await replay({ paths: [join(logs, 'AWSLogs')], stateDir: state, rules, ioc: loadIocMatcher().matcher, threads: 0 });
  trail = readTrail(logs);
}, 240_000);

const run = async (args: string[]) => {
  const result = await skywatchAsync([...args, '--logs', logs, '--state', state], work, { timeoutMs: 180_000 });
  expect(result.stderr, args.join(' ')).not.toMatch(/QueryFailedError|Error:/);
  return result;
};
const json = async (args: string[]) => {
  const result = await run([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { rows: Array<Record<string, any>>; accounts: string[] };
};
const accountName = (id: string) => demo.accounts.find((a) => a.id === id)?.name;

describe('skywatch query run over the demo organization (DuckDB)', () => {
  it("actor-activity returns a role's calls from every account it acted in, as many as the trail holds", async () => {
    const { rows, accounts } = await json(['query', 'run', 'actor-activity', '--param', 'actor=terraform-execution']);
    const expected = trail.filter((r) => r.userIdentity?.sessionContext?.sessionIssuer?.userName === 'terraform-execution');
    expect(rows.length).toBe(expected.length);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(expected.map((r) => r.eventID)));
    expect(accounts).toEqual(demo.accounts.map((a) => a.id).sort());
    // The compromised runner of the fleet-blinding and staging campaigns: every planted call is there, in each account it reached.
    const planted = demo.planted.filter((s) => s.triggerEventIds.some((id) => expected.find((r) => r.eventID === id)));
    const plantedIds = new Set(planted.flatMap((s) => s.eventIds));
    const plantedRows = rows.filter((r) => plantedIds.has(r.event_id));
    expect(plantedRows.length).toBe(plantedIds.size);
    expect([...new Set(plantedRows.map((r) => accountName(r.account)))].sort()).toEqual(['data-analytics', 'prod-payments', 'prod-web', 'staging']);
    expect(rows.map((r) => r.event_time)).toEqual([...rows.map((r) => r.event_time)].sort());
  }, 180_000);

  it("ip-activity returns the attacker's CloudTrail calls in every account, and its flows and WAF requests, as the replay's IOC findings counted them", async () => {
    const ip = ATTACKERS.kali.ip;
    const { rows } = await json(['query', 'run', 'ip-activity', '--param', `ip=${ip}`]);
    const count = (cells: Array<[string, string, string]>) => Object.fromEntries([...cells.reduce((m, k) => m.set(k.join(' '), (m.get(k.join(' ')) ?? 0) + 1), new Map<string, number>())].sort());
    const ioc = report.findings.filter((f) => f.ProductFields['skywatch/RuleId'] === 'ioc/demo-known-bad');
    const counted: Record<string, number> = {};
    for (const f of ioc) {
      const key = `${f.ProductFields['skywatch/Ioc/Log']} ${f.AwsAccountId} ${f.Region}`;
      counted[key] = (counted[key] ?? 0) + Number(f.ProductFields['skywatch/EventCount']);
    }
    expect(Object.keys(counted).map((k) => k.split(' ')[0])).toEqual(expect.arrayContaining(['cloudtrail', 'flow', 'waf']));
    expect(count(rows.map((r) => [r.log, r.account, r.region]))).toEqual(Object.fromEntries(Object.entries(counted).sort()));
    // Every call the trail holds from the address, and among them every planted call the attacker made
    // from it (a campaign's scenario may also hold calls from the victim's own address, such as the
    // CI role's usual builds before the stolen credentials are used), in every account they reached.
    const byId = new Map(trail.map((r) => [r.eventID as string, r]));
    const fromIp = trail.filter((r) => r.sourceIPAddress === ip);
    const kali = demo.planted.filter((s) => s.attackerIp === ip).map((s) => ({ ...s, eventIds: s.eventIds.filter((id) => byId.get(id)?.sourceIPAddress === ip) })).filter((s) => s.eventIds.length > 0);
    const trailRows = rows.filter((r) => r.log === 'cloudtrail');
    expect(new Set(trailRows.map((r) => r.event_id))).toEqual(new Set(fromIp.map((r) => r.eventID)));
    expect(trailRows.map((r) => r.event_id)).toEqual(expect.arrayContaining(kali.flatMap((s) => s.eventIds)));
    expect(kali.length).toBeGreaterThan(3);
    expect(new Set(trailRows.map((r) => r.account))).toEqual(new Set(kali.map((s) => s.accountId)));
    expect(new Set(trailRows.map((r) => r.account)).size).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it("api-callers counts each account's DeleteDetector calls as the replay's findings of the rule that watches them", async () => {
    const { rows } = await json(['query', 'run', 'api-callers', '--param', 'event=DeleteDetector']);
    const perAccount = (pairs: Array<[string, number]>) => pairs.reduce<Record<string, number>>((m, [a, n]) => ({ ...m, [a]: (m[a] ?? 0) + n }), {});
    const findings = report.findings.filter((f) => f.ProductFields['skywatch/RuleId'] === 'guardduty-detector-disabled');
    expect(findings.length).toBeGreaterThanOrEqual(4);
    expect(perAccount(rows.map((r) => [r.account, r.calls]))).toEqual(perAccount(findings.map((f) => [f.AwsAccountId, Number(f.ProductFields['skywatch/EventCount'])])));
  }, 180_000);

  it('treats a parameter that tries SQL injection as a value: it matches no principal', async () => {
    const injected = await json(['query', 'run', 'actor-activity', '--param', "actor=x' OR '1'='1"]);
    const spliced = await json(['query', 'run', 'console-sign-ins', '--param', "user=' OR 1=1 --"]);
    const all = await json(['query', 'run', 'console-sign-ins']);
    expect({ injected: injected.rows.length, spliced: spliced.rows.length }).toEqual({ injected: 0, spliced: 0 });
    expect(all.rows.length).toBe(trail.filter((r) => r.eventName === 'ConsoleLogin').length);
    expect(all.rows.length).toBeGreaterThan(0);
  }, 180_000);

  it('refuses an unknown investigation, an unknown parameter and a bad value, naming each', async () => {
    const [unknown, param, value, noLogs] = await Promise.all([
      skywatchAsync(['query', 'run', 'actor-actvity', '--param', 'actor=alice', '--logs', logs, '--state', state], work),
      skywatchAsync(['query', 'run', 'ip-activity', '--param', 'address=192.0.2.10', '--logs', logs, '--state', state], work),
      skywatchAsync(['query', 'run', 'ip-activity', '--param', 'ip=192.0.2.300', '--logs', logs, '--state', state], work),
      skywatchAsync(['query', 'run', 'iam-changes', '--logs', join(work, 'nowhere'), '--state', state], work),
    ]);
    expect([unknown.code, param.code, value.code, noLogs.code]).toEqual([2, 2, 2, 2]);
    expect(unknown.stderr).toContain('no investigation "actor-actvity" (known: access-key-activity, account-changes, actor-activity,');
    expect(param.stderr).toContain('skywatch: ip-activity: address: unknown parameter of ip-activity (it takes ip)');
    expect(value.stderr).toContain('skywatch: ip-activity: ip: expected an IPv4 or IPv6 address (type ip), got "192.0.2.300"');
    expect(noLogs.stderr).toContain(`no log folder at ${join(work, 'nowhere')}`);
  }, 180_000);

  it('prints a table with the row count, and CSV with a header', async () => {
    const [table, csv] = await Promise.all([
      run(['query', 'run', 'api-callers', '--param', 'event=StopLogging']),
      run(['query', 'run', 'api-callers', '--param', 'event=StopLogging', '--csv']),
    ]);
    expect(table.stdout).toMatch(/^account\s+event_name\s+actor\s+source_ip\s+calls/);
    expect(table.stdout).toMatch(/\n1 row in [\d.]+ s on duckdb over 8 accounts\n$/);
    expect(csv.stdout.split('\r\n')[0]).toBe('account,event_name,actor,source_ip,calls,errors,first_seen,last_seen');
    expect(csv.stdout).toContain(`,StopLogging,arn:aws:sts::`);
  }, 180_000);
});

describe('skywatch investigate over the demo organization', () => {
  it("puts a finding's actor, address and rule investigations on one timeline across the accounts the attacker reached", async () => {
    const finding = report.findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'guardduty-detector-disabled' && f.ProductFields['skywatch/SourceIp'] === ATTACKERS.legacyCli.ip && accountName(f.AwsAccountId) === 'prod-web') as AsffFinding;
    expect(finding).toBeDefined();
    const result = await run(['investigate', finding.Id, '--hours', '2', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { investigations: Array<{ investigation: string; parameters: Record<string, string>; rows: number }>; timeline: Array<{ time: string; account: string; investigations: string[]; row: Record<string, any> }> };
    expect(out.investigations.map((i) => i.investigation)).toEqual(expect.arrayContaining(['actor-activity', 'ip-activity', 'findings-history']));
    expect(out.investigations.find((i) => i.investigation === 'ip-activity')!.parameters).toEqual({ ip: ATTACKERS.legacyCli.ip });
    // The same address blinded three accounts within the window: the timeline shows each of them.
    const fromAttacker = out.timeline.filter((e) => e.investigations.includes('ip-activity'));
    expect(new Set(fromAttacker.map((e) => accountName(e.account)))).toEqual(new Set(['prod-web', 'data-analytics', 'prod-payments']));
    expect(out.timeline.map((e) => e.time)).toEqual([...out.timeline.map((e) => e.time)].sort());
    const ids = out.timeline.map((e) => e.row.event_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    expect(out.timeline.some((e) => e.investigations.includes('findings-history') && e.row.finding_id === finding.Id)).toBe(true);
  }, 180_000);
});
