import { describe, expect, it } from 'vitest';
import { ACCOUNT_WIDE, coverageFinding, coverageSeverity, type CoverageGapRecord } from '../../central/core/coverage/coverage-finding.js';
import { validateAsffFinding } from '../support/aws-model.js';

const CENTRAL = '123456789012';
const MEMBER = '345678901234';
const ctx = { centralAccount: CENTRAL, homeRegion: 'us-east-1', accountName: 'prod-payments' };

const gap = (change: Partial<CoverageGapRecord> = {}): CoverageGapRecord => ({
  kind: 'forwarding-missing',
  account: MEMBER,
  regions: { 'eu-west-1': 'stack instance OUTDATED (FAILED): ResourceLogicalId:ForwardApiCalls' },
  createdAt: '2026-11-21T12:00:00.000Z',
  openedAt: '2026-11-21T12:00:00.000Z',
  updatedAt: '2026-11-21T12:00:00.000Z',
  ...change,
});

describe('a coverage finding', () => {
  it('lives in the central account and home region, with a stable Id naming the kind and member account', () => {
    const f = coverageFinding(gap(), ctx);
    expect(validateAsffFinding(f)).toEqual([]);
    expect(f).toMatchObject({
      Id: `skywatch/coverage/forwarding-missing/${MEMBER}`,
      GeneratorId: 'skywatch/coverage/forwarding-missing',
      ProductArn: `arn:aws:securityhub:us-east-1:${CENTRAL}:product/${CENTRAL}/default`,
      AwsAccountId: CENTRAL,
      Region: 'us-east-1',
      Types: ['Software and Configuration Checks/AWS Security Best Practices/Skywatch Event Forwarding Missing'],
      Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${MEMBER}`, Partition: 'aws', Region: 'us-east-1' }],
      Severity: { Label: 'MEDIUM', Original: 'MEDIUM' },
      FindingProviderFields: { Severity: { Label: 'MEDIUM', Original: 'MEDIUM' }, Types: ['Software and Configuration Checks/AWS Security Best Practices/Skywatch Event Forwarding Missing'] },
      CreatedAt: '2026-11-21T12:00:00.000Z',
      UpdatedAt: '2026-11-21T12:00:00.000Z',
      RecordState: 'ACTIVE',
    });
    expect(f.ProductFields).toEqual({
      'skywatch/RuleId': 'coverage/forwarding-missing',
      'skywatch/Status': 'active',
      'skywatch/MemberAccount': MEMBER,
      'skywatch/MemberAccountName': 'prod-payments',
      'skywatch/Regions': 'eu-west-1',
    });
  });

  it('names the account and every open region with what was observed there', () => {
    const f = coverageFinding(gap({ regions: { 'us-east-1': 'no stack instance', 'eu-west-1': 'stack instance OUTDATED (FAILED)' }, kind: 'member-stack-missing' }), ctx);
    expect(f.Title).toBe(`Skywatch coverage gap: member stack missing in account prod-payments (${MEMBER}), regions eu-west-1, us-east-1`);
    expect(f.Description).toContain(`Account prod-payments (${MEMBER}) has no CURRENT Skywatch member stack (regions eu-west-1, us-east-1)`);
    expect(f.Description).toContain('Observed: eu-west-1: stack instance OUTDATED (FAILED); us-east-1: no stack instance.');
    expect(f.Severity.Label).toBe('HIGH');
    expect(f.Remediation?.Recommendation.Text).toContain('skywatch-member StackSet');
    expect(validateAsffFinding(f)).toEqual([]);
  });

  it('uses the account id alone when the directory does not know the name', () => {
    const f = coverageFinding(gap({ kind: 'security-hub-off', regions: { 'us-east-1': 'Security Hub member status is Resigned' } }), { centralAccount: CENTRAL, homeRegion: 'us-east-1' });
    expect(f.Title).toBe(`Skywatch coverage gap: Security Hub off in account ${MEMBER}, region us-east-1`);
    expect(f.ProductFields['skywatch/MemberAccountName']).toBeUndefined();
    expect(f.Severity.Label).toBe('HIGH');
  });

  it('is archived, naming the regions that were open, when no region is left', () => {
    const f = coverageFinding(gap({ regions: {}, closedRegions: ['eu-west-1'], updatedAt: '2026-11-22T08:30:00.000Z' }), ctx);
    expect(f.RecordState).toBe('ARCHIVED');
    expect(f.CreatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(f.UpdatedAt).toBe('2026-11-22T08:30:00.000Z');
    expect(f.Description).toBe(`Resolved: account prod-payments (${MEMBER}) is covered again; the event forwarding missing gap (last open in region eu-west-1) is closed.`);
    expect(f.ProductFields['skywatch/ClosedRegions']).toBe('eu-west-1');
    expect(f.ProductFields['skywatch/Regions']).toBeUndefined();
    expect(validateAsffFinding(f)).toEqual([]);
  });

  it('describes an account-wide gap as every region', () => {
    const f = coverageFinding(gap({ kind: 'security-hub-off', regions: { [ACCOUNT_WIDE]: 'Security Hub is off' } }), ctx);
    expect(f.Title).toMatch(/, every region$/);
    expect(f.Description).toContain('Observed: account-wide: Security Hub is off.');
    expect(validateAsffFinding(f)).toEqual([]);
  });

  it('rates forwarding missing MEDIUM, and HIGH once the home region, which holds the FindingWriter role, is among the regions', () => {
    expect(coverageSeverity('forwarding-missing', ['eu-west-1'], 'us-east-1')).toBe('MEDIUM');
    expect(coverageSeverity('forwarding-missing', ['eu-west-1', 'us-east-1'], 'us-east-1')).toBe('HIGH');
    expect(coverageSeverity('member-stack-missing', ['eu-west-1'], 'us-east-1')).toBe('HIGH');
    expect(coverageSeverity('security-hub-off', ['eu-west-1'], 'us-east-1')).toBe('HIGH');
  });

  it('stays within the ASFF limits with many regions and long reasons', () => {
    const regions = Object.fromEntries(
      ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'sa-east-1', 'ca-central-1'].map((r) => [
        r,
        `stack instance OUTDATED (FAILED): ${'ResourceStatusReason:Resource handler returned message: "Rate exceeded". '.repeat(3)}`,
      ]),
    );
    const f = coverageFinding(gap({ regions }), { ...ctx, accountName: 'a'.repeat(50) });
    expect(f.Description.length).toBe(1024);
    expect(f.Description.endsWith('…')).toBe(true);
    expect(validateAsffFinding(f)).toEqual([]);
  });
});
