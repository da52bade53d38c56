import { describe, expect, it } from 'vitest';
import { toOcsfDetectionFinding } from '../../central/core/delivery/ocsf.js';
import { laterVersion, sampleFinding } from './samples.js';

const ACCOUNT = '111122223333';

describe('OCSF Detection Findings', () => {
  it('maps a new finding to a Create activity of class 2004 with every field in its OCSF place', () => {
    const finding = sampleFinding(ACCOUNT, 'eu-west-1', 1);
    const ms = (iso: string) => Date.parse(iso);
    const account = { uid: ACCOUNT, type_id: 10, type: 'AWS Account' };
    expect(toOcsfDetectionFinding(finding)).toEqual({
      class_uid: 2004,
      class_name: 'Detection Finding',
      category_uid: 2,
      category_name: 'Findings',
      activity_id: 1,
      activity_name: 'Create',
      type_uid: 200401,
      type_name: 'Detection Finding: Create',
      severity_id: 4,
      severity: 'High',
      time: ms('2026-11-21T11:59:50.000Z'),
      status_id: 1,
      status: 'New',
      message: 'Root account used',
      finding_info: {
        uid: finding.Id,
        title: 'Root account used',
        desc: `The root user of ${ACCOUNT} called s3:ListBuckets from 192.0.2.10.`,
        types: ['TTPs/Privilege Escalation/Root account usage'],
        created_time: ms('2026-11-21T11:59:50.000Z'),
        modified_time: ms('2026-11-21T11:59:50.000Z'),
        first_seen_time: ms('2026-11-21T11:58:03Z'),
        last_seen_time: ms('2026-11-21T11:59:41Z'),
        analytic: { uid: 'root-account-usage', name: 'root-account-usage', type_id: 1, type: 'Rule' },
        product_uid: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      },
      cloud: { provider: 'AWS', region: 'eu-west-1', account },
      resources: [{ uid: `AWS::::Account:${ACCOUNT}`, type: 'AwsAccount', region: 'eu-west-1', cloud_partition: 'aws', owner: { account } }],
      remediation: { desc: 'Confirm with the account owner; lock the root user away behind MFA.', references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html'] },
      metadata: {
        version: '1.1.0',
        product: { name: 'Skywatch', vendor_name: 'Skywatch', uid: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default` },
        uid: `${finding.Id}@2026-11-21T11:59:50.000Z`,
        profiles: ['cloud'],
      },
      unmapped: {
        generator_id: 'skywatch/root-account-usage',
        record_state: 'ACTIVE',
        severity_original: 'HIGH',
        product_fields: {
          'skywatch/Status': 'active',
          'skywatch/EventIds': '3e8b2c1a-0000-4000-8000-000000000001',
          'skywatch/EventCount': '1',
          'skywatch/EventSource': 's3.amazonaws.com',
          'skywatch/EventName': 'ListBuckets',
          'skywatch/ActorType': 'Root',
          'skywatch/ActorArn': `arn:aws:iam::${ACCOUNT}:root`,
          'skywatch/SourceIp': '192.0.2.10',
        },
        action: finding.Action,
      },
    });
  });

  it('makes a later version an Update and an archived one a Close, with type_uid 200400 + activity', () => {
    const created = sampleFinding(ACCOUNT, 'eu-west-1', 1);
    const updated = toOcsfDetectionFinding(laterVersion(created));
    expect([updated.activity_id, updated.activity_name, updated.type_uid, updated.status]).toEqual([2, 'Update', 200402, 'New']);
    expect(updated.time).toBe(Date.parse(created.UpdatedAt) + 60_000);
    expect(updated.finding_info.created_time).toBe(Date.parse(created.CreatedAt));
    expect(updated.metadata.uid).not.toBe(toOcsfDetectionFinding(created).metadata.uid);
    const closed = toOcsfDetectionFinding({ ...laterVersion(created), RecordState: 'ARCHIVED' });
    expect([closed.activity_id, closed.activity_name, closed.type_uid, closed.status_id, closed.status]).toEqual([3, 'Close', 200403, 4, 'Resolved']);
  });

  it('maps every Security Hub severity label to its OCSF severity_id', () => {
    const labels = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
    const mapped = labels.map((Label) => {
      const r = toOcsfDetectionFinding(sampleFinding(ACCOUNT, 'eu-west-1', 1, { Severity: { Label, Original: Label } }));
      return [r.severity_id, r.severity];
    });
    expect(mapped).toEqual([[1, 'Informational'], [2, 'Low'], [3, 'Medium'], [4, 'High'], [5, 'Critical']]);
  });

  it('marks a suppressed finding Suppressed and keeps who suppressed it among the unmapped fields', () => {
    const finding = sampleFinding(ACCOUNT, 'eu-west-1', 1);
    finding.ProductFields['skywatch/SuppressedBy'] = 'break-glass-root';
    const record = toOcsfDetectionFinding(finding);
    expect([record.status_id, record.status]).toEqual([3, 'Suppressed']);
    expect((record.unmapped.product_fields as Record<string, string>)['skywatch/SuppressedBy']).toBe('break-glass-root');
  });

  it('leaves out remediation and action when the finding has none', () => {
    const { Remediation: _r, Action: _a, ...bare } = sampleFinding(ACCOUNT, 'eu-west-1', 1);
    const record = toOcsfDetectionFinding(bare);
    expect('remediation' in record).toBe(false);
    expect('action' in record.unmapped).toBe(false);
  });
});
