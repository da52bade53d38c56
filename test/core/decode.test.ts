import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../central/core/decode/log-object.js';
import { apiCallEnvelope, cloudTrailRecord } from '../support/cloudtrail.js';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const TRAIL = 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/11/02/111122223333_CloudTrail_eu-west-1_20261102T0915Z_AbCdEfGh12345678.json.gz';

describe('decoding CloudTrail inputs', () => {
  it('reads a gzipped Records file in the org-trail layout into normalized events', async () => {
    const records = [cloudTrailRecord(), cloudTrailRecord({ eventName: 'RunInstances', readOnly: false })];
    const decoded = await decodeInput(TRAIL, gzipSync(bytes({ Records: records })));
    expect(decoded.problems).toEqual([]);
    expect(decoded.events.map((e) => [e.name, e.account, e.region, e.source])).toEqual([
      ['DescribeInstances', '111122223333', 'eu-west-1', 'ec2.amazonaws.com'],
      ['RunInstances', '111122223333', 'eu-west-1', 'ec2.amazonaws.com'],
    ]);
    expect(decoded.events[0]!.origin).toEqual({ input: TRAIL, index: 0 });
  });

  it('normalizes the actor of a role session, with its role and session name', async () => {
    const [event] = (await decodeInput('one.json', bytes(cloudTrailRecord()))).events;
    expect(event!.actor).toEqual({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com',
      principalId: 'AROAEXAMPLEROLEID123:alice@example.com',
      accountId: '111122223333',
      name: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      accessKeyId: 'ASIAEXAMPLEKEY123456',
      roleArn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      sessionName: 'alice@example.com',
      mfa: false,
      invokedBy: undefined,
    });
    expect(event!.sourceIp).toBe('192.0.2.10');
    expect(event!.readOnly).toBe(true);
  });

  it('reads a bare record, a JSON array and JSON lines alike', async () => {
    const a = cloudTrailRecord();
    const b = cloudTrailRecord();
    expect((await decodeInput('bare.json', bytes(a))).events.map((e) => e.id)).toEqual([a.eventID]);
    expect((await decodeInput('array.json', bytes([a, b]))).events.map((e) => e.id)).toEqual([a.eventID, b.eventID]);
    const lines = Buffer.from(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`);
    expect((await decodeInput('events.jsonl', lines)).events.map((e) => e.origin?.line)).toEqual([1, 3]);
    // Without the extension, several lines of JSON are still recognized as JSON lines.
    expect((await decodeInput('events.txt', lines)).events).toHaveLength(2);
  });

  it('tolerates records without the optional fields', async () => {
    const minimal = { eventVersion: '1.05', eventTime: '2019-03-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', awsRegion: 'us-east-1', eventID: 'f2d1c0b9-0000-4000-8000-000000000001', userIdentity: { type: 'IAMUser', accountId: '111122223333' } };
    const decoded = await decodeInput('old.json', bytes(minimal));
    expect(decoded.problems).toEqual([]);
    expect(decoded.events[0]).toMatchObject({ account: '111122223333', sourceIp: undefined, userAgent: undefined, errorCode: undefined, resources: [], actor: { type: 'IAMUser' } });
  });

  it('marks a failed console sign-in as failed and reads MFA use from the sign-in record', async () => {
    const login = cloudTrailRecord({
      eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', awsRegion: 'us-east-1',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEUSERID789', accountId: '111122223333', accessKeyId: '', userName: 'bob' },
      responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication',
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'Yes' },
    });
    const [event] = (await decodeInput('login.json', bytes(login))).events;
    expect(event).toMatchObject({ errorCode: 'Failure', errorMessage: 'Failed authentication', actor: { type: 'IAMUser', name: 'bob', mfa: true } });
  });
});

describe('decoding EventBridge envelopes', () => {
  it('reads an API call forwarded from a member account with the same event id as the trail', async () => {
    const record = cloudTrailRecord({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' });
    const [event] = (await decodeInput('bus.json', bytes(apiCallEnvelope(record)))).events;
    expect(event).toMatchObject({ id: record.eventID, kind: 'cloudtrail', name: 'StopLogging' });
  });

  it('reads a console sign-in envelope', async () => {
    const record = cloudTrailRecord({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' } });
    const envelope = { ...apiCallEnvelope(record), 'detail-type': 'AWS Console Sign In via CloudTrail', source: 'aws.signin' };
    expect((await decodeInput('signin.json', bytes(envelope))).events[0]).toMatchObject({ name: 'ConsoleLogin', errorCode: undefined });
  });

  it('reads a GuardDuty finding with its type, remote address and access key', async () => {
    const envelope = {
      version: '0', id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad', 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty',
      account: '111122223333', time: '2026-11-02T10:00:00Z', region: 'eu-west-1', resources: [],
      detail: {
        schemaVersion: '2.0', accountId: '111122223333', region: 'eu-west-1', partition: 'aws', id: '16afba5c5c43e07c9e3e5e2e544e95df',
        arn: 'arn:aws:guardduty:eu-west-1:111122223333:detector/123456/finding/16afba5c5c43e07c9e3e5e2e544e95df',
        type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
        resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAEXAMPLEKEY999999', principalId: 'AROAEXAMPLEROLEID777:i-0abcd1234ef567890', userName: 'web-instance-role', userType: 'AssumedRole' } },
        service: { serviceName: 'guardduty', action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', serviceName: 's3.amazonaws.com', remoteIpDetails: { ipAddressV4: '203.0.113.50' } } }, count: 3 },
        severity: 8, createdAt: '2026-11-02T09:40:00Z', updatedAt: '2026-11-02T09:58:00Z', title: 'Credentials for instance role used from an external IP', description: '…',
      },
    };
    const [event] = (await decodeInput('gd.json', bytes(envelope))).events;
    expect(event).toMatchObject({
      kind: 'guardduty', id: envelope.id, source: 'guardduty.amazonaws.com', name: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      time: '2026-11-02T09:58:00Z', sourceIp: '203.0.113.50', actor: { type: 'AssumedRole', name: 'web-instance-role', accessKeyId: 'ASIAEXAMPLEKEY999999' },
      resources: [{ type: 'AWS::IAM::AccessKey', id: 'ASIAEXAMPLEKEY999999' }],
    });
  });

  it('reads a Config compliance change with the resource it is about', async () => {
    const envelope = {
      version: '0', id: '6f1b1ea5-7a3e-4d8c-9c52-1d0f8e2a9b77', 'detail-type': 'Config Rules Compliance Change', source: 'aws.config',
      account: '111122223333', time: '2026-11-02T11:00:00Z', region: 'eu-west-1', resources: [],
      detail: {
        resourceId: 'payments-exports', awsRegion: 'eu-west-1', awsAccountId: '111122223333', configRuleName: 's3-bucket-public-read-prohibited',
        recordVersion: '1.0', configRuleARN: 'arn:aws:config:eu-west-1:111122223333:config-rule/config-rule-abc123', messageType: 'ComplianceChangeNotification',
        newEvaluationResult: { complianceType: 'NON_COMPLIANT', resultRecordedTime: '2026-11-02T10:59:58.000Z' },
        oldEvaluationResult: { complianceType: 'COMPLIANT' }, notificationCreationTime: '2026-11-02T10:59:59.000Z', resourceType: 'AWS::S3::Bucket',
      },
    };
    const [event] = (await decodeInput('config.json', bytes(envelope))).events;
    expect(event).toMatchObject({ kind: 'config', name: 'ConfigRulesComplianceChange', resources: [{ type: 'AWS::S3::Bucket', id: 'payments-exports' }] });
  });
});

describe('decoding bad inputs', () => {
  it('skips digest files without reading them', async () => {
    const decoded = await decodeInput('AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Digest/eu-west-1/2026/11/02/111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20261102T0930Z.json.gz', Buffer.from('{}'));
    expect(decoded).toEqual({ events: [], problems: [], skipped: 'CloudTrail digest file' });
  });

  it('reports a 0-byte file by name as a notice', async () => {
    const decoded = await decodeInput('empty.json.gz', Buffer.alloc(0));
    expect(decoded.problems).toEqual([{ input: 'empty.json.gz', reason: 'empty file (0 bytes), nothing to read', level: 'notice' }]);
  });

  it('keeps the complete records of a truncated gzip and reports what was lost', async () => {
    const records = Array.from({ length: 200 }, () => cloudTrailRecord());
    const gz = gzipSync(bytes({ Records: records }));
    const decoded = await decodeInput('cut.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    expect(decoded.events.length).toBeGreaterThan(50);
    expect(decoded.events.length).toBeLessThan(200);
    expect(decoded.events.map((e) => e.id)).toEqual(records.slice(0, decoded.events.length).map((r) => r.eventID));
    expect(decoded.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^corrupt gzip \(unexpected end of file\); reading the \d+ bytes recovered$/),
      expect.stringMatching(new RegExp(`^truncated or invalid JSON \\(.*\\); kept ${decoded.events.length} complete records, lost the data after byte \\d+$`)),
    ]);
  });

  it('reports data that is not gzip behind a gzip header', async () => {
    const decoded = await decodeInput('garbage.json.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(decoded.events).toEqual([]);
    expect(decoded.problems).toEqual([{ input: 'garbage.json.gz', reason: expect.stringMatching(/^corrupt gzip \(.*\); reading the 0 bytes recovered$/), level: 'error' }]);
  });

  it('reports a non-JSON line with its line number and reads the other lines', async () => {
    const a = cloudTrailRecord();
    const b = cloudTrailRecord();
    const decoded = await decodeInput('mixed.jsonl', Buffer.from(`${JSON.stringify(a)}\nthis is not json\n${JSON.stringify(b)}\n`));
    expect(decoded.events.map((e) => e.id)).toEqual([a.eventID, b.eventID]);
    expect(decoded.problems).toEqual([{ input: 'mixed.jsonl', line: 2, reason: expect.stringMatching(/^not JSON \(/), level: 'error' }]);
  });

  it('reports a record without eventName by position and keeps its neighbours', async () => {
    const broken = cloudTrailRecord();
    delete broken.eventName;
    const decoded = await decodeInput('records.json', bytes({ Records: [cloudTrailRecord(), broken, cloudTrailRecord()] }));
    expect(decoded.events).toHaveLength(2);
    expect(decoded.problems).toEqual([{ input: 'records.json', index: 1, line: undefined, reason: 'record has no eventName', level: 'error' }]);
  });

  it('reports an unsupported EventBridge detail-type', async () => {
    const decoded = await decodeInput('bus.json', bytes({ version: '0', id: 'x', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', account: '111122223333', time: '2026-11-02T10:00:00Z', region: 'eu-west-1', detail: { state: 'running' } }));
    expect(decoded.problems.map((p) => p.reason)).toEqual(['unsupported EventBridge detail-type "EC2 Instance State-change Notification"']);
  });
});
