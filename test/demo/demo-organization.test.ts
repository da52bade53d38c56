import { documentationAsns } from '../../central/demo/documentation-asns.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateDemoOrganization } from '../../central/demo/generate.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { replay } from '../../central/local/replay.js';

const below = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? below(join(d, e)) : [join(d, e)])).sort();
const TRAIL_FILE = /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_\4\5\6T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;

function digest(root: string): string {
  const hash = createHash('sha256');
  for (const f of below(root)) hash.update(relative(root, f)).update(readFileSync(f));
  return hash.digest('hex');
}

describe('the demo organization', () => {
  it('writes byte-identical files for the same seed', async () => {
    const [a, b] = [mkdtempSync(join(tmpdir(), 'demo-a-')), mkdtempSync(join(tmpdir(), 'demo-b-'))];
    await generateDemoOrganization({ outDir: a, benignEvents: 3_000, network: false });
    await generateDemoOrganization({ outDir: b, benignEvents: 3_000, network: false });
    expect(digest(join(a, 'AWSLogs'))).toBe(digest(join(b, 'AWSLogs')));
  });

  it('lays files out like an organization trail, each holding only its own account and region', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-layout-'));
    const org = await generateDemoOrganization({ outDir: dir, benignEvents: 5_000, network: false });
    const files = below(join(dir, 'AWSLogs')).map((f) => relative(dir, f)).filter((f) => !f.includes('CloudTrail-Digest'));
    expect(files.length).toBeGreaterThan(50);
    let records = 0;
    for (const file of files) {
      const m = TRAIL_FILE.exec(file);
      expect(m, file).not.toBeNull();
      expect(m![1]).toBe(org.orgId);
      const doc = JSON.parse(gunzipSync(readFileSync(join(dir, file))).toString()) as { Records: Array<Record<string, unknown>> };
      for (const r of doc.Records) {
        expect([r.recipientAccountId, r.awsRegion]).toEqual([m![2], m![3]]);
        records++;
      }
    }
    expect(records).toBe(org.events);
    expect(new Set(org.accounts.map((a) => a.id)).size).toBeGreaterThanOrEqual(7);
  });

  it('yields a finding for every planted attack, in its account, and no HIGH or CRITICAL finding from benign traffic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-replay-'));
    const org = await generateDemoOrganization({ outDir: dir, benignEvents: 20_000, network: false });
    const { rules, sources } = loadRuleFolders();
    const report = await replay({ paths: [join(dir, 'AWSLogs')], stateDir: join(dir, 'state'), rules, ruleSources: sources, asn: documentationAsns() });
    expect(report.problems).toEqual([]);
    const found = new Set(report.findings.map((f) => `${f.AwsAccountId}/${f.ProductFields['skywatch/RuleId']}`));
    const missing = org.planted.filter((p) => !found.has(`${p.accountId}/${p.ruleId}`)).map((p) => p.id);
    expect(missing).toEqual([]);
    expect(new Set(org.planted.map((p) => p.accountId)).size).toBeGreaterThanOrEqual(5);
    // An attack may trip more rules than the one it was planted for; its source address gives it away.
    const attackerIps = new Set(org.planted.map((p) => p.attackerIp));
    const severeBenign = report.findings
      .filter((f) => f.Severity.Label === 'HIGH' || f.Severity.Label === 'CRITICAL')
      .filter((f) => !attackerIps.has(f.ProductFields['skywatch/SourceIp'] ?? ''))
      .map((f) => f.Title);
    expect(severeBenign).toEqual([]);
  });
});
