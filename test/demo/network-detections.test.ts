/**
 * The demo's network logs through the statistics detectors and IOC lists: a week of benign traffic
 * for three accounts, then an attack day. Every planted attack is reported, by the detector its
 * plan names and with its addresses; the same week without the attacks reports nothing HIGH or
 * CRITICAL (here: nothing at all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { generateNetworkLogs, type NetworkLogSummary } from '../../central/demo/network/index.js';
import { buildOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';
import { replay, type ReplayReport } from '../../central/local/replay.js';
import { loadIocMatcher, loadStatisticsFolders } from '../../central/local/statistics-files.js';

const work = mkdtempSync(join(tmpdir(), 'skywatch-network-demo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const statistics = loadStatisticsFolders().detectors.map((d) => d.detector);
const { matcher: ioc, lists: iocLists } = loadIocMatcher();

/** The demo's network logs, generated once per variant. */
const generated = new Map<boolean, Promise<{ root: string; summary: NetworkLogSummary }>>();
function logs(attacks: boolean): Promise<{ root: string; summary: NetworkLogSummary }> {
  let found = generated.get(attacks);
  if (!found) {
    const rng = createRandom(7);
    const org = buildOrganization(rng);
    const root = join(work, attacks ? 'attacks' : 'benign');
    // 40% of the benign rhythm keeps the test quick; the detectors' floors hold at any scale.
    found = generateNetworkLogs(org, rng.fork('network'), { root: join(root, 'logs'), start: new Date('2026-11-09T00:00:00Z'), days: 7, attacks, scale: 0.4 }).then((summary) => ({ root, summary }));
    generated.set(attacks, found);
  }
  return found;
}

let runs = 0;

/** Replays the logs into a state of its own. */
async function run(attacks: boolean, threads = 0): Promise<{ summary: NetworkLogSummary; report: ReplayReport }> {
  const { root, summary } = await logs(attacks);
  const report = await replay({ paths: [join(root, 'logs')], stateDir: join(root, `state-${++runs}`), rules: [], statistics, ioc, iocLists, threads, clock: { now: () => new Date('2026-11-18T00:00:00Z') } });
  return { summary, report };
}

const mentions = (f: AsffFinding, address: string) =>
  f.Title.includes(address) || f.Description.includes(address) || Object.values(f.Network ?? {}).includes(address);

describe('the demo network logs', () => {
  it('report every planted attack, by the detector its plan names, with its addresses', async () => {
    const { summary, report } = await run(true);
    expect(report.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(report.network.records).toBe(summary.flowRecords + summary.wafRecords);
    expect(summary.planted).toHaveLength(7);
    for (const attack of summary.planted) {
      const found = report.findings.filter((f) => f.ProductFields['skywatch/RuleId'] === attack.detector && f.AwsAccountId === attack.accountId);
      const addresses = [attack.sourceAddress, ...attack.targets].filter((a) => /^[\d.]+$/.test(a));
      const named = found.filter((f) => addresses.some((a) => mentions(f, a)));
      expect(named.length, `${attack.id}: ${attack.detector} in ${attack.accountName}`).toBeGreaterThan(0);
      if (attack.id === 'slow-ramp') expect(named.map((f) => f.ProductFields['skywatch/Statistics/Reason'])).toContain('cusum');
      if (attack.id === 'port-scan' || attack.id === 'exfiltration') {
        const f = named[0]!;
        expect(f.Network?.SourceIpV4, attack.id).toBeDefined();
        expect(f.Network?.DestinationIpV4, attack.id).toBeDefined();
      }
    }
  }, 180_000);

  it('report nothing HIGH or CRITICAL for the same week without the attacks', async () => {
    const { report } = await run(false);
    expect(report.network.windows).toBeGreaterThan(50_000);
    expect(report.findings.filter((f) => f.Severity.Label === 'HIGH' || f.Severity.Label === 'CRITICAL')).toEqual([]);
    expect(report.findings).toEqual([]);
  }, 180_000);

  it('give the same findings, counts and baselines when worker threads count the streams', async () => {
    const inline = (await run(true, 0)).report;
    const threaded = (await run(true, 2)).report;
    expect(threaded.problems).toEqual(inline.problems);
    expect(threaded.network).toEqual({ ...inline.network, seconds: threaded.network.seconds });
    const shape = (r: ReplayReport) => r.findings.map((f) => ({ id: f.Id, severity: f.Severity.Label, title: f.Title, fields: f.ProductFields })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(shape(threaded)).toEqual(shape(inline));
    expect(inline.findings.length).toBeGreaterThan(7);
  }, 180_000);
});
