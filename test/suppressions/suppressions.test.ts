import { AwsSecurityFinding$ } from '@aws-sdk/client-securityhub';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../central/core/detector.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { loadSuppressions } from '../../central/core/suppressions/load.js';
import type { AccountDirectory } from '../../central/core/suppressions/match.js';
import { runSuppressionTests } from '../../central/core/suppressions/self-test.js';
import { MemoryStateStore } from '../../central/core/state/memory-store.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { loadSuppressionFiles } from '../../central/local/suppression-files.js';
import { validateAsffFinding, validateShape } from '../support/aws-model.js';
import { skywatch } from '../support/cli.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { eventOf, ManualClock, RecordingSink } from '../support/detector.js';

const { rules } = loadRuleFolders();

function suppressions(yaml: string) {
  return loadSuppressions([{ file: 'rules/suppressions.yaml', text: yaml }]);
}

const entry = (match: string, expires = '2027-06-30') => `suppressions:
  - id: accepted
    reason: The pipeline does this on every merge, reviewed in pull requests.
    owner: platform-team@example.com
    expires: ${expires}
    match: ${match}
`;

/** A subnet created by the Terraform pipeline role: ec2-vpc-changed fires on it. */
const pipelineSubnet = (overrides: Record<string, unknown> = {}) =>
  eventOf(
    cloudTrailRecord({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'CreateSubnet',
      readOnly: false,
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLETFROLE001:terraform-run-8812',
        arn: 'arn:aws:sts::111122223333:assumed-role/terraform-pipeline/terraform-run-8812',
        accountId: '111122223333',
        sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLETFROLE001', arn: 'arn:aws:iam::111122223333:role/terraform-pipeline', accountId: '111122223333', userName: 'terraform-pipeline' } },
      },
      requestParameters: { vpcId: 'vpc-0a1b2c3d4e5f60718', cidrBlock: '10.20.3.0/24', tagSpecificationSet: { items: [{ resourceType: 'subnet', tags: [{ key: 'env', value: 'sandbox' }] }] } },
      responseElements: { subnet: { subnetId: 'subnet-0f1e2d3c4b5a69788', vpcId: 'vpc-0a1b2c3d4e5f60718' } },
      ...overrides,
    }),
  );

const directory: AccountDirectory = { describe: (a) => (a === '111122223333' ? { name: 'sandbox-1', ous: ['r-exmp', 'ou-exmp-sandbox1'], tags: { team: 'platform' } } : undefined) };
const now = new Date('2026-11-21T12:00:00Z');

describe('suppression files', () => {
  it.each([
    ['no reason', 'suppressions:\n  - id: x\n    owner: platform\n    expires: 2027-01-01\n    match: { rules: [ec2-vpc-changed] }\n', /reason/],
    ['no owner', 'suppressions:\n  - id: x\n    reason: accepted because it is reviewed elsewhere\n    expires: 2027-01-01\n    match: { rules: [ec2-vpc-changed] }\n', /owner/],
    ['a bad expiry', entry('{ rules: [ec2-vpc-changed] }', '31/12/2027'), /expires: must be a date/],
    ['an empty scope', entry('{}'), /at least one scope field/],
    ['a bad account', entry("{ accounts: ['1234'] }"), /12-digit/],
  ])('report %s with file and line', (_, text, reason) => {
    const loaded = suppressions(text);
    expect(loaded.suppressions).toEqual([]);
    expect(loaded.problems[0]).toMatchObject({ file: 'rules/suppressions.yaml' });
    expect(loaded.problems[0]!.line).toBeGreaterThan(1);
    expect(loaded.problems.map((p) => p.reason).join('; ')).toMatch(reason);
  });

  it('the shipped suppressions load and pass their tests', () => {
    const loaded = loadSuppressionFiles();
    expect(loaded.problems).toEqual([]);
    expect(loaded.suppressions.length).toBeGreaterThan(0);
    const results = runSuppressionTests(loaded, rules);
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
});

describe('suppression scopes', () => {
  const applies = (match: string, event = pipelineSubnet(), dir: AccountDirectory = directory) =>
    suppressions(entry(match)).suppressions[0]!.applies('ec2-vpc-changed', event, ['arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0f1e2d3c4b5a69788'], dir);

  it('by rule id, with wildcards', () => {
    expect(applies('{ rules: [ec2-vpc-changed] }')).toBe(true);
    expect(applies('{ rules: ["ec2-*"] }')).toBe(true);
    expect(applies('{ rules: [iam-user-created] }')).toBe(false);
  });

  it('by account, region and OU (from the directory)', () => {
    expect(applies("{ accounts: ['111122223333'], regions: [eu-west-1] }")).toBe(true);
    expect(applies("{ accounts: ['444455556666'] }")).toBe(false);
    expect(applies('{ regions: [us-east-1] }')).toBe(false);
    expect(applies('{ ous: [ou-exmp-sandbox1] }')).toBe(true);
    expect(applies('{ ous: [ou-exmp-prod0001] }')).toBe(false);
    // An account the directory does not know is in no OU.
    expect(applies('{ ous: [ou-exmp-sandbox1] }', pipelineSubnet(), { describe: () => undefined })).toBe(false);
  });

  it('by principal pattern, on the session ARN or the role ARN', () => {
    expect(applies('{ principals: ["arn:aws:sts::*:assumed-role/terraform-pipeline/*"] }')).toBe(true);
    expect(applies('{ principals: ["arn:aws:iam::111122223333:role/terraform-pipeline"] }')).toBe(true);
    expect(applies('{ principals: ["arn:aws:iam::*:role/other"] }')).toBe(false);
  });

  it('by resource pattern and by account tag', () => {
    expect(applies('{ resources: ["arn:aws:ec2:*:*:subnet/*"] }')).toBe(true);
    expect(applies('{ resources: ["arn:aws:ec2:*:*:vpc/*"] }')).toBe(false);
    expect(applies('{ tags: { team: platform } }')).toBe(true);
    expect(applies('{ tags: { team: "plat*" } }')).toBe(true);
    expect(applies('{ tags: { team: data } }')).toBe(false);
    expect(applies('{ tags: { team: platform } }', pipelineSubnet(), { describe: () => undefined })).toBe(false);
  });

  it('never by tags the caller put in the request, which anyone making the call chooses', () => {
    // The subnet is created with env=sandbox in its tag specifications; the account has no env tag.
    expect(applies('{ tags: { env: sandbox } }')).toBe(false);
    expect(applies('{ tags: { env: sandbox } }', pipelineSubnet({ requestParameters: { tags: [{ Key: 'env', Value: 'sandbox' }] } }))).toBe(false);
    expect(applies('{ tags: { env: "sand*", team: platform } }')).toBe(false);
  });

  it('stop applying after their expiry day', () => {
    const s = suppressions(entry('{ rules: [ec2-vpc-changed] }', '2026-11-21')).suppressions[0]!;
    expect(s.expired(new Date('2026-11-21T23:59:59Z'))).toBe(false);
    expect(s.expired(new Date('2026-11-22T00:00:00Z'))).toBe(true);
  });
});

describe('suppressed findings', () => {
  it('are recorded, marked with the suppression, and still valid ASFF', async () => {
    const sink = new RecordingSink();
    const { suppressions: list } = suppressions(entry('{ rules: [ec2-vpc-changed], ous: [ou-exmp-sandbox1] }'));
    const detector = new Detector({ engine: new RuleEngine(rules), state: new MemoryStateStore(), sink, clock: new ManualClock(now.getTime()), suppressions: list, directory });
    const { findings } = await detector.process([pipelineSubnet()]);
    const finding = findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'ec2-vpc-changed')!;
    expect(finding).toBeDefined();
    expect(finding.ProductFields['skywatch/SuppressedBy']).toBe('accepted');
    expect(finding.ProductFields['skywatch/SuppressionOwner']).toBe('platform-team@example.com');
    expect(finding.ProductFields['skywatch/SuppressionExpires']).toBe('2027-06-30');
    expect(finding).not.toHaveProperty('Workflow');
    expect(validateShape(AwsSecurityFinding$, finding)).toEqual([]);
    expect(validateAsffFinding(finding)).toEqual([]);
    expect(sink.versions).toContain(finding);
  });

  it('are not suppressed once the suppression has expired', async () => {
    const { suppressions: list } = suppressions(entry('{ rules: [ec2-vpc-changed] }', '2026-11-01'));
    const detector = new Detector({ engine: new RuleEngine(rules), state: new MemoryStateStore(), sink: new RecordingSink(), clock: new ManualClock(now.getTime()), suppressions: list });
    const { findings } = await detector.process([pipelineSubnet()]);
    expect(findings.find((f) => f.ProductFields['skywatch/RuleId'] === 'ec2-vpc-changed')!.ProductFields).not.toHaveProperty('skywatch/SuppressedBy');
  });
});

describe('the CLI', () => {
  it('rules test runs suppression tests and reports expired suppressions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skywatch-supp-'));
    const file = join(dir, 'suppressions.yaml');
    const shipped = loadSuppressionFiles();
    expect(shipped.suppressions.length).toBeGreaterThan(0);
    writeFileSync(file, entry('{ rules: [ec2-vpc-changed] }', '2025-01-31'));
    const result = await skywatch(['rules', 'test', '--suppressions', file]);
    expect(result.stderr).toContain('suppression expired, no longer applied: accepted');
    expect(result.stdout).toMatch(/1 suppressions \(1 expired\)/);
    expect(result.code).toBe(0);
  });
});
