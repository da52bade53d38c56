/**
 * The built-in correlation rules over the demo organization: the planted intrusions that cross
 * accounts become correlation findings naming three or more accounts, and the same week of benign
 * traffic without them gives no correlation finding at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { generateDemoOrganization } from '../../central/demo/generate.js';
import { replay } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function demoReplay(attacks: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'sw-demo-correlation-'));
  dirs.push(dir);
  const org = await generateDemoOrganization({ outDir: dir, benignEvents: 60_000, attacks, network: false });
  const { rules, sources, correlations } = loadRuleFolders();
  const security = org.accounts.find((a) => a.name === 'security')!.id;
  const report = await replay({ paths: [join(dir, 'AWSLogs')], stateDir: join(dir, 'state'), rules, ruleSources: sources, correlations, home: { account: security, region: 'us-east-1' } });
  return { org, report, correlations, correlated: report.findings.filter((f) => f.ProductFields['skywatch/CorrelationRule'] !== undefined) };
}

const accountsOf = (f: AsffFinding) => (f.ProductFields['skywatch/Accounts'] ?? '').split(',').filter(Boolean);

describe('correlation over the demo organization', () => {
  it('joins each planted cross-account intrusion into a finding naming three or more accounts, filed in the security account', async () => {
    const { org, report, correlations, correlated } = await demoReplay(true);
    expect(correlations.length).toBeGreaterThanOrEqual(1);
    expect(report.problems).toEqual([]);
    const security = org.accounts.find((a) => a.name === 'security')!.id;
    expect(correlated.length).toBeGreaterThanOrEqual(2);
    expect(correlated.every((f) => f.AwsAccountId === security)).toBe(true);
    expect(Math.max(...correlated.map((f) => accountsOf(f).length))).toBeGreaterThanOrEqual(3);
    // Every base finding a correlation joins was made by a planted attacker.
    const byId = new Map(report.findings.map((f) => [f.Id, f]));
    const attackerIps = new Set(org.planted.map((p) => p.attackerIp));
    const sources = correlated.flatMap((f) => (f.RelatedFindings ?? []).map((r) => byId.get(r.Id)?.ProductFields['skywatch/SourceIp']));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((ip) => !attackerIps.has(ip ?? ''))).toEqual([]);
  }, 180_000);

  it('gives no correlation finding from the benign traffic alone', async () => {
    const { report, correlated } = await demoReplay(false);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(correlated.map((f) => `${f.ProductFields['skywatch/CorrelationRule']}: ${f.Title}`)).toEqual([]);
  }, 180_000);
});
