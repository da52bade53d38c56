import { documentationAsns } from '../../central/demo/documentation-asns.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { benignRecords } from '../../central/demo/benign.js';
import { generateDemoOrganization } from '../../central/demo/generate.js';
import { buildOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';
import { replay } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const filesBelow = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();

/** One hash over every file's path (relative to `root`) and bytes. */
function treeHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of filesBelow(root)) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const LOG_FILE = /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail\/(us-east-1|eu-west-1|ap-south-1)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_\4\5\6T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
const DIGEST_FILE = /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail-Digest\/(us-east-1|eu-west-1)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail-Digest_\3_org-trail_us-east-1_\4\5\6T\d{6}Z\.json\.gz$/;

type Rec = Record<string, unknown>;
const readGz = (path: string) => JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Rec;

describe('the demo organization generator', () => {
  it('writes byte-identical files when run twice with the same seed', async () => {
    const [a, b] = [tempDir('sw-demo-a-'), tempDir('sw-demo-b-')];
    const first = await generateDemoOrganization({ outDir: a, benignEvents: 3_000, network: false });
    const second = await generateDemoOrganization({ outDir: b, benignEvents: 3_000, network: false });
    expect(treeHash(join(a, 'AWSLogs'))).toBe(treeHash(join(b, 'AWSLogs')));
    expect([second.files, second.digestFiles, second.events]).toEqual([first.files, first.digestFiles, first.events]);
    expect(first.events).toBe(3_000 + first.planted.reduce((n, p) => n + p.eventIds.length, 0));
  });

  it('leaves exactly the same tree when rerun in a folder that holds another seed', async () => {
    const dir = tempDir('sw-demo-rerun-');
    await generateDemoOrganization({ outDir: dir, benignEvents: 2_000, network: false });
    const seven = treeHash(join(dir, 'AWSLogs'));
    const other = await generateDemoOrganization({ outDir: dir, seed: 8, benignEvents: 2_500, network: false });
    expect(treeHash(join(dir, 'AWSLogs'))).not.toBe(seven);
    expect(filesBelow(join(dir, 'AWSLogs')).length).toBe(other.files + other.digestFiles);
    await generateDemoOrganization({ outDir: dir, benignEvents: 2_000, network: false });
    expect(treeHash(join(dir, 'AWSLogs'))).toBe(seven);
  });

  it('lays out every file as an organization trail delivers it, each record in its file\'s account and region and in time order', async () => {
    const dir = tempDir('sw-demo-layout-');
    const demo = await generateDemoOrganization({ outDir: dir, benignEvents: 5_000, network: false });
    const files = filesBelow(join(dir, 'AWSLogs')).map((f) => relative(dir, f));
    const logs = files.filter((f) => LOG_FILE.test(f));
    const digests = files.filter((f) => DIGEST_FILE.test(f));
    expect(files.filter((f) => !LOG_FILE.test(f) && !DIGEST_FILE.test(f))).toEqual([]);
    expect([logs.length, digests.length]).toEqual([demo.files, demo.digestFiles]);
    expect(digests.length).toBeGreaterThan(0);

    const accounts = new Set(demo.accounts.map((a) => a.id));
    const mismatched: string[] = [];
    const eventIds = new Set<string>();
    for (const file of logs) {
      const [, org, account, region] = LOG_FILE.exec(file)!;
      expect([org, accounts.has(account!)]).toEqual([demo.orgId, true]);
      const records = readGz(join(dir, file)).Records as Rec[];
      expect(records.length).toBeGreaterThan(0);
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        if (r.recipientAccountId !== account || r.awsRegion !== region) mismatched.push(`${file}#${i}`);
        if (i > 0 && (r.eventTime as string) < (records[i - 1]!.eventTime as string)) mismatched.push(`${file}#${i} out of order`);
        eventIds.add(r.eventID as string);
      }
    }
    expect(mismatched).toEqual([]);
    expect(eventIds.size).toBe(demo.events);
    for (const file of digests) {
      const [, , account, region] = DIGEST_FILE.exec(file)!;
      const doc = readGz(join(dir, file));
      expect([doc.awsAccountId, doc.digestS3Object, 'Records' in doc]).toEqual([account, file, false]);
      expect((doc.logFiles as Rec[]).every((l) => logs.includes(l.s3Object as string) && (l.s3Object as string).includes(`/CloudTrail/${region}/`))).toBe(true);
    }
  });

  it('plants attacks in at least five member accounts and both regions, with one attacker address reused across accounts', async () => {
    const demo = await generateDemoOrganization({ outDir: tempDir('sw-demo-planted-'), benignEvents: 1_000, network: false });
    const management = demo.accounts.find((a) => a.name === 'management')!;
    const members = new Set(demo.planted.map((p) => p.accountId));
    expect(members.has(management.id)).toBe(false);
    expect(members.size).toBeGreaterThanOrEqual(5);
    // The cryptominer picks a region the organization never uses.
    expect(new Set(demo.planted.map((p) => p.region))).toEqual(new Set(['us-east-1', 'eu-west-1', 'ap-south-1']));
    const accountsPerIp = new Map<string, Set<string>>();
    for (const p of demo.planted) accountsPerIp.set(p.attackerIp, (accountsPerIp.get(p.attackerIp) ?? new Set()).add(p.accountId));
    expect([...accountsPerIp.keys()].every((ip) => ip.startsWith('203.0.113.'))).toBe(true);
    expect(Math.max(...[...accountsPerIp.values()].map((s) => s.size))).toBeGreaterThanOrEqual(3);
    expect(demo.planted.map((p) => p.ruleId).sort()).toEqual([
      'backup-plan-deleted',
      'backup-vault-or-recovery-point-deleted',
      'behaviour-console-login-new-network',
      'behaviour-new-region-for-principal',
      'cloudtrail-logging-stopped',
      'config-recorder-stopped',
      'console-login-without-mfa',
      'ec2-security-group-open-to-internet',
      'ec2-snapshot-shared',
      // Once in staging, then in each of the three accounts the Terraform runner's role blinds.
      'guardduty-detector-disabled',
      'guardduty-detector-disabled',
      'guardduty-detector-disabled',
      'guardduty-detector-disabled',
      'iam-access-key-created-for-another-user',
      'iam-admin-policy-attached',
      'iam-login-profile-created-for-another-user',
      'iam-user-created',
      'kms-key-deletion-scheduled',
      'organizations-leave-attempt',
      'provisioning-volume-by-principal',
      'rds-snapshot-shared',
      'root-account-usage',
      's3-bucket-policy-public',
      's3-public-access-block-removed',
      'secret-deleted',
      'vpc-flow-logs-deleted',
      'vpc-flow-logs-deleted',
      'vpc-flow-logs-deleted',
    ]);
  });

  it('yields exactly the requested benign records in time order without touching the disk', () => {
    const rng = createRandom(7);
    const org = buildOrganization(rng);
    const records = [...benignRecords(org, rng, 4_000, new Date('2026-11-09T00:00:00Z'), 7)];
    expect(records.length).toBe(4_000);
    expect(records.every((r, i) => i === 0 || (r.eventTime as string) >= (records[i - 1]!.eventTime as string))).toBe(true);
    expect(records.filter((r) => (r.userIdentity as Rec).type === 'Root')).toEqual([]);
    expect(records.filter((r) => !/^1\.(08|09|10)$/.test(r.eventVersion as string))).toEqual([]);
  });

  it('replays to a finding for every planted scenario in its account and region, and no HIGH or CRITICAL finding from a benign event', async () => {
    const dir = tempDir('sw-demo-replay-');
    const demo = await generateDemoOrganization({ outDir: dir, benignEvents: 20_000, network: false });
    const { rules } = loadRuleFolders();
    const report = await replay({ paths: [join(dir, 'AWSLogs')], stateDir: join(dir, 'state'), rules, asn: documentationAsns() });
    expect([report.events, report.skipped.length, report.problems, report.ruleFailures]).toEqual([demo.events, demo.digestFiles, [], []]);

    const found = new Set(report.findings.map((f) => `${f.ProductFields['skywatch/RuleId']}|${f.AwsAccountId}|${f.Region}`));
    const missing = demo.planted.filter((p) => !found.has(`${p.ruleId}|${p.accountId}|${p.region}`)).map((p) => `${p.id} (${p.region})`);
    expect(missing).toEqual([]);

    const planted = new Set(demo.planted.flatMap((p) => p.eventIds));
    const fromBenign = report.findings
      .filter((f) => f.Severity.Label === 'HIGH' || f.Severity.Label === 'CRITICAL')
      .filter((f) => f.ProductFields['skywatch/EventIds']!.split(',').some((id) => !planted.has(id)))
      .map((f) => `${f.ProductFields['skywatch/RuleId']}: ${f.Title}`);
    expect(fromBenign).toEqual([]);
  });
});
