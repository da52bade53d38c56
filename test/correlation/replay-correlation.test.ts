/**
 * Correlation through `replay`, as a user runs it: one administrator's access key schedules KMS keys
 * for deletion in three accounts (its key policy grants the administrator account cross-account key
 * administration, so each call is recorded in the key's own account, with the caller's key). Three
 * findings, one per account; one correlation finding that names them all, whatever the order in
 * which the files are read and whether they come in one replay or two.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorrelationRules } from '../../central/core/correlation/load.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { replay } from '../../central/local/replay.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

const ADMIN = '111122223333';
const ACCOUNTS = [ADMIN, '444455556666', '777788889999'];
const KEY = 'AKIAQX4EXAMPLE7KCWZT';

const RULE = `
title: One access key behind findings in three or more accounts within an hour
id: access-key-three-accounts-test
status: stable
level: high
correlation:
  type: value_count
  rules: [min-severity:MEDIUM]
  group-by: [actor.accessKeyId]
  timespan: 1h
  condition: { field: account, gte: 3 }
`;

/** ScheduleKeyDeletion by the administrator's IAM user on a key owned by `account`. */
function scheduleDeletion(account: string, minute: number, n: number) {
  const keyId = `1234abcd-12ab-34cd-56ef-12345678900${n}`;
  const arn = `arn:aws:kms:us-east-1:${account}:key/${keyId}`;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAQX4EXAMPLEJ3UV5LQ', arn: `arn:aws:iam::${ADMIN}:user/kms-admin`, accountId: ADMIN, accessKeyId: KEY, userName: 'kms-admin' },
    eventTime: `2026-11-23T04:${String(minute).padStart(2, '0')}:09Z`,
    eventSource: 'kms.amazonaws.com',
    eventName: 'ScheduleKeyDeletion',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/command#kms.schedule-key-deletion',
    requestParameters: { keyId: arn, pendingWindowInDays: 7 },
    responseElements: { keyId: arn, deletionDate: 'Nov 30, 2026, 12:00:00 AM', keyState: 'PendingDeletion', pendingWindowInDays: 7 },
    requestID: `7405d92e-8bde-4c60-8932-75d44342de7${n}`,
    eventID: `ef24a6ea-f998-489a-81f5-ad4a0c9a3ae${n}`,
    readOnly: false,
    resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: arn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

describe('replay correlates one access key across accounts', () => {
  let dir: string;
  const { rules } = loadRuleFolders();
  const { rules: correlations, problems } = loadCorrelationRules([{ file: 'access-key-three-accounts-test.yaml', text: RULE }]);

  /** Writes each account's record where an organization trail would, and returns the files. */
  function trail(root: string, accounts: readonly string[]): string[] {
    return accounts.map((account) => {
      const n = ACCOUNTS.indexOf(account);
      const folder = join(root, 'AWSLogs', 'o-exampleorgid', account, 'CloudTrail', 'us-east-1', '2026', '11', '23');
      mkdirSync(folder, { recursive: true });
      const file = join(folder, `${account}_CloudTrail_us-east-1_20261123T04${10 + n}Z_${'abcdefghijklmnop'.slice(n, n + 8)}.json`);
      writeFileSync(file, JSON.stringify({ Records: [scheduleDeletion(account, 10 + 7 * n, n)] }));
      return file;
    });
  }

  const correlated = (findings: readonly AsffFinding[]) => findings.filter((f) => f.ProductFields['skywatch/CorrelationRule'] !== undefined);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-correlation-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives one correlation finding naming the three accounts, related to the three base findings', async () => {
    expect(problems).toEqual([]);
    const root = join(dir, 'one');
    const files = trail(root, ACCOUNTS);
    const report = await replay({ paths: files, stateDir: join(root, 'state'), rules, correlations, home: { account: '999999999999', region: 'eu-west-1' } });

    const base = report.findings.filter((f) => f.ProductFields['skywatch/RuleId'] === 'kms-key-deletion-scheduled');
    expect(base.map((f) => f.AwsAccountId).sort()).toEqual(ACCOUNTS);
    const [finding, ...more] = correlated(report.findings);
    expect(more).toEqual([]);
    expect(finding!.AwsAccountId).toBe('999999999999');
    expect(finding!.Region).toBe('eu-west-1');
    expect(finding!.ProductFields['skywatch/Accounts']).toBe(ACCOUNTS.join(','));
    expect(finding!.ProductFields['skywatch/CorrelationRule']).toBe('access-key-three-accounts-test');
    expect(finding!.RelatedFindings!.map((r) => `${r.ProductArn} ${r.Id}`).sort()).toEqual(base.map((f) => `${f.ProductArn} ${f.Id}`).sort());
    expect(finding!.Resources.map((r) => r.Id)).toEqual(expect.arrayContaining([KEY, ...ACCOUNTS.map((a) => `AWS::::Account:${a}`)]));
  });

  it('gives the same finding Id and accounts with the files in another order, or split across two replays into one state', async () => {
    const reference = correlated((await replay({ paths: trail(join(dir, 'ref'), ACCOUNTS), stateDir: join(dir, 'ref', 'state'), rules, correlations })).findings)[0]!;

    const reversedRoot = join(dir, 'reversed');
    const reversed = trail(reversedRoot, [...ACCOUNTS].reverse());
    const fromReversed = correlated((await replay({ paths: [...reversed].reverse(), stateDir: join(reversedRoot, 'state'), rules, correlations })).findings);

    const splitRoot = join(dir, 'split');
    const [first, second, third] = trail(splitRoot, [ACCOUNTS[2]!, ACCOUNTS[0]!, ACCOUNTS[1]!]);
    const state = join(splitRoot, 'state');
    const firstReplay = await replay({ paths: [first!, second!], stateDir: state, rules, correlations });
    const secondReplay = await replay({ paths: [third!], stateDir: state, rules, correlations });

    expect(correlated(firstReplay.findings)).toEqual([]);
    for (const findings of [fromReversed, correlated(secondReplay.findings)]) {
      expect(findings.map((f) => [f.Id, f.ProductFields['skywatch/Accounts']])).toEqual([[reference.Id, ACCOUNTS.join(',')]]);
    }
  });

  it('gives none when the key acts in two accounts only', async () => {
    const root = join(dir, 'two');
    const report = await replay({ paths: trail(root, ACCOUNTS.slice(0, 2)), stateDir: join(root, 'state'), rules, correlations });
    expect(report.findings.filter((f) => f.ProductFields['skywatch/RuleId'] === 'kms-key-deletion-scheduled')).toHaveLength(2);
    expect(correlated(report.findings)).toEqual([]);
  });
});
