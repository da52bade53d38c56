import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guardDutySeverity, noticeOfFinding, noticeOfSignal, securityHubFindingUrl, UnreadableNoticeError } from '../../central/core/delivery/notice.js';
import { FIXTURES } from '../support/fixtures.js';
import { configEnvelope, directory, guardDutyAsff, guardDutyEnvelope, rootFinding, signalOf } from './notifier-samples.js';

const catalog = JSON.parse(readFileSync(`${FIXTURES}aws-docs/guardduty_finding_type_catalog_2023.json`, 'utf8')) as Array<{ finding_type: string; default_severity: string }>;

describe('notices of Skywatch findings', () => {
  it('tells what, where, who and from where, with a Security Hub link in the home region', async () => {
    const finding = await rootFinding();
    expect(noticeOfFinding(finding, directory, 'eu-west-1')).toEqual({
      id: 'skywatch/us-east-1/123456789012/root-account-usage/6f67ccccb24a320824a93b591949b703',
      version: '2026-11-21T12:00:00.000Z',
      source: 'skywatch',
      status: 'active',
      severity: 'HIGH',
      title: 'Root user called ListBuckets in account 123456789012',
      description: finding.Description,
      account: '123456789012',
      accountName: 'prod-payments',
      region: 'us-east-1',
      actor: 'arn:aws:iam::123456789012:root',
      sourceIp: '192.0.2.10',
      investigate: 'skywatch query run actor-activity --param actor=arn:aws:iam::123456789012:root',
      rule: 'root-account-usage',
      observedAt: '2026-11-21T11:59:30Z',
      eventCount: 1,
      resources: ['AWS::::Account:123456789012'],
      link: {
        url:
          'https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A' +
          'skywatch%252Fus-east-1%252F123456789012%252Froot-account-usage%252F6f67ccccb24a320824a93b591949b703',
        label: 'Open in Security Hub',
      },
      remediation: { text: finding.Remediation!.Recommendation.Text, url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html' },
    });
  });

  it('names the account by its id alone when the directory does not know it', async () => {
    const notice = noticeOfFinding(await rootFinding(), undefined);
    expect(notice.accountName).toBeUndefined();
    expect(notice.link.url.startsWith('https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=')).toBe(true);
  });

  it('marks suppressed, staged and archived findings, and coverage findings by their generator', async () => {
    const finding = await rootFinding();
    const suppressed = { ...finding, ProductFields: { ...finding.ProductFields, 'skywatch/SuppressedBy': 'break-glass-root' } };
    const staged = { ...finding, ProductFields: { ...finding.ProductFields, 'skywatch/Status': 'staged' } };
    const archived = { ...finding, RecordState: 'ARCHIVED' as const };
    const coverage = { ...finding, GeneratorId: 'skywatch/coverage/security-hub-off' };
    expect(noticeOfFinding(suppressed, directory).status).toBe('suppressed');
    expect(noticeOfFinding(staged, directory).status).toBe('staged');
    expect(noticeOfFinding(archived, directory).status).toBe('archived');
    expect(noticeOfFinding(coverage, directory).source).toBe('coverage');
  });

  it('links a rule finding over a GuardDuty signal to GuardDuty, since it is never imported into Security Hub', async () => {
    const finding = await rootFinding();
    const overSignal = {
      ...finding,
      ProductFields: { ...finding.ProductFields, 'skywatch/EventSource': 'guardduty.amazonaws.com', 'skywatch/EventKind': 'guardduty' },
      Resources: [{ Type: 'Other', Id: 'arn:aws:guardduty:us-east-1:123456789012:detector/d4b040365221be2b54a6264dc9a4bc64/finding/46ba0ac2845071e23ccdeb2ae03bfdea', Partition: 'aws' as const, Region: 'us-east-1' }],
    };
    expect(noticeOfFinding(overSignal, directory, 'eu-west-1').link).toEqual({
      url: 'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=46ba0ac2845071e23ccdeb2ae03bfdea',
      label: 'Open in GuardDuty',
    });
  });

  it('refuses a finding without a severity label', async () => {
    const finding = await rootFinding();
    expect(() => noticeOfFinding({ ...finding, Severity: { Label: 'SEVERE' as never, Original: 'SEVERE' } }, directory)).toThrow(UnreadableNoticeError);
  });

  it('encodes the finding Id twice, as the Security Hub console expects', () => {
    expect(securityHubFindingUrl('us-gov-west-1', 'a/b:c')).toBe(
      'https://console.amazonaws-us-gov.com/securityhub/home?region=us-gov-west-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253Aa%252Fb%253Ac',
    );
  });
});

describe('notices of GuardDuty findings', () => {
  it('reads the documented finding with its GuardDuty severity label and the link GuardDuty itself writes', () => {
    const notice = noticeOfSignal(signalOf(guardDutyEnvelope()), directory);
    expect(notice).toEqual({
      id: '46ba0ac2845071e23ccdeb2ae03bfdea',
      version: '2020-09-30T12:14:00.206Z',
      source: 'guardduty',
      status: 'active',
      severity: 'LOW',
      title: '199.241.229.197 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
      description: guardDutyAsff.Description,
      account: '193043430472',
      accountName: 'sandbox-network',
      region: 'us-east-1',
      sourceIp: '199.241.229.197',
      rule: 'UnauthorizedAccess:EC2/SSHBruteForce',
      observedAt: '2020-09-30T11:56:49Z',
      eventCount: 74,
      resources: ['i-0c10c2c7863d1a356'],
      link: { url: guardDutyAsff.SourceUrl, label: 'Open in GuardDuty' },
    });
    // Severity 2 is in GuardDuty's Low band, the catalog's default for this type.
    expect(catalog.find((t) => t.finding_type === notice.rule)?.default_severity).toBe('Low');
  });

  it.each([
    [0.5, 'INFORMATIONAL'],
    [1, 'LOW'],
    [3.9, 'LOW'],
    [4, 'MEDIUM'],
    [6.9, 'MEDIUM'],
    [7, 'HIGH'],
    [8.9, 'HIGH'],
    [9, 'CRITICAL'],
    [10, 'CRITICAL'],
    ['5.5', 'MEDIUM'],
  ] as const)('maps GuardDuty severity %s to %s', (value, label) => {
    expect(guardDutySeverity(value)).toBe(label);
  });

  it('refuses a GuardDuty finding without a numeric severity', () => {
    const envelope = guardDutyEnvelope();
    delete envelope.detail.severity;
    expect(() => noticeOfSignal(signalOf(envelope), directory)).toThrow(UnreadableNoticeError);
  });

  it('names the key user when GuardDuty reports one, and marks an archived finding', () => {
    const envelope = guardDutyEnvelope();
    envelope.detail.resource = { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', principalId: 'AIDACKCEVSQ6C2EXAMPLE', userName: 'deploy-bot', userType: 'IAMUser' } };
    envelope.detail.service.archived = true;
    const notice = noticeOfSignal(signalOf(envelope), directory);
    expect(notice.actor).toBe('deploy-bot (IAMUser)');
    expect(notice.status).toBe('archived');
  });
});

describe('notices of Config compliance changes', () => {
  it('makes a NON_COMPLIANT change notable, keyed by rule and resource, linking the rule', () => {
    expect(noticeOfSignal(signalOf(configEnvelope('NON_COMPLIANT')), directory)).toEqual({
      id: 'config/123456789012/us-east-2/cloudtrail-enabled/AWS::::Account/123456789012',
      version: '2016-09-27T20:02:11.204Z',
      source: 'config',
      status: 'active',
      severity: 'MEDIUM',
      title: 'NON_COMPLIANT with cloudtrail-enabled: AWS::::Account 123456789012',
      description: 'AWS Config evaluated AWS::::Account 123456789012 as NON_COMPLIANT with rule cloudtrail-enabled (was COMPLIANT).',
      account: '123456789012',
      accountName: 'prod-payments',
      region: 'us-east-2',
      rule: 'cloudtrail-enabled',
      observedAt: '2016-09-27T20:02:11.204Z',
      resources: ['123456789012'],
      link: { url: 'https://us-east-2.console.aws.amazon.com/config/home?region=us-east-2#/rules/details?configRuleName=cloudtrail-enabled', label: 'Open the Config rule' },
    });
  });

  it('makes the documented COMPLIANT change not notable', () => {
    const notice = noticeOfSignal(signalOf(configEnvelope('COMPLIANT')), directory);
    expect([notice.status, notice.severity, notice.version]).toEqual(['not-notable', 'INFORMATIONAL', '2016-09-27T19:48:42.620Z']);
  });
});
