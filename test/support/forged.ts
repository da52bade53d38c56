/**
 * Envelopes a compromised member (444455556666) could put on the central bus about another account
 * (the victim, 999988887777): each would raise a finding in the victim's Security Hub if Skywatch
 * believed the detail. Shared by the unit tests and the end-to-end run.
 */
import { randomUUID } from 'node:crypto';
import { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE } from '../../member/scanner/scan-result.js';
import { apiCallEnvelope, cloudTrailRecord, rootIdentity } from './cloudtrail.js';

type Json = Record<string, unknown>;

export const FORGER = '444455556666';
export const VICTIM = '999988887777';

/** Root of the victim creating an access key: a CRITICAL finding if believed. */
export function victimRootKey(overrides: Json = {}, victim = VICTIM): Json {
  return cloudTrailRecord({
    userIdentity: { ...rootIdentity, principalId: victim, arn: `arn:aws:iam::${victim}:root`, accountId: victim },
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.24',
    readOnly: false,
    requestParameters: {},
    responseElements: { accessKey: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Active', userName: 'root', createDate: 'Nov 2, 2026 9:14:03 AM' } },
    recipientAccountId: victim,
    ...overrides,
  });
}

/** A GuardDuty finding about the victim. */
export function victimGuardDutyFinding(victim = VICTIM): Json {
  return {
    schemaVersion: '2.0', accountId: victim, region: 'us-east-1', partition: 'aws', id: '7ab1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
    arn: `arn:aws:guardduty:us-east-1:${victim}:detector/12c5f0d8a3b94e7f6d1a2b3c4d5e6f70/finding/7ab1c2d3e4f5a6b7c8d9e0f1a2b3c4d5`,
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', severity: 8, title: 'Credentials for instance role web used from external IP address.',
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', principalId: 'AROAEXAMPLE:i-0123456789abcdef0', userName: 'web', userType: 'AssumedRole' } },
    service: { serviceName: 'guardduty', action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'ListBuckets', serviceName: 's3.amazonaws.com', remoteIpDetails: { ipAddressV4: '203.0.113.7' } } }, count: 1 },
    createdAt: '2026-11-02T09:29:00Z', updatedAt: '2026-11-02T09:29:00Z',
  };
}

/** A Config compliance change about the victim. */
export function victimConfigChange(victim = VICTIM): Json {
  return {
    resourceId: 'payments-exports', awsRegion: 'us-east-1', awsAccountId: victim, configRuleName: 's3-bucket-public-read-prohibited',
    recordVersion: '1.0', configRuleARN: `arn:aws:config:us-east-1:${victim}:config-rule/config-rule-abc123`, messageType: 'ComplianceChangeNotification',
    newEvaluationResult: { complianceType: 'NON_COMPLIANT', resultRecordedTime: '2026-11-02T10:59:58.000Z' },
    oldEvaluationResult: { complianceType: 'COMPLIANT' }, notificationCreationTime: '2026-11-02T10:59:59.000Z', resourceType: 'AWS::S3::Bucket',
  };
}

/** A scan result with a secret in one of the victim's objects. */
export function victimScanResult(victim = VICTIM): Json {
  return {
    schemaVersion: 1, account: victim, region: 'us-east-1', bucket: 'victim-build-artifacts', key: 'releases/app.env', size: 412, scannedAt: '2026-11-02T11:00:00.000Z',
    status: 'matched', matchCount: 1, notes: [], rulesVersion: '3f1a2b4c5d6e',
    matches: [{ kind: 'secret', rule: 'aws-access-key-pair', title: 'AWS access key pair', offset: 18, line: 2, preview: 'AKIA****MPLE', hash: '0123456789ab', severity: 'CRITICAL', findingType: 'Sensitive Data Identifications/Security/AWS Credentials' }],
  };
}

/**
 * Every forgery: a custom source posing as AWS, and AWS-looking sources whose detail names the
 * victim. Each has fresh ids, so a forgery that got through would be a finding of its own.
 */
export function forgedEnvelopes(forger = FORGER, victim = VICTIM): Array<{ readonly name: string; readonly envelope: Json }> {
  const envelope = (detailType: string, source: string, detail: Json): Json =>
    ({ version: '0', id: randomUUID(), 'detail-type': detailType, source, account: forger, time: '2026-11-02T11:00:00Z', region: 'us-east-1', resources: [], detail });
  const guardDuty = () => ({ ...victimGuardDutyFinding(victim), id: randomUUID().replace(/-/g, '') });
  return [
    { name: 'CloudTrail call with a custom source', envelope: envelope('AWS API Call via CloudTrail', 'attacker.custom', victimRootKey({}, victim)) },
    { name: 'CloudTrail call about the victim', envelope: { ...apiCallEnvelope(victimRootKey({}, victim)), account: forger } },
    { name: 'console sign-in about the victim', envelope: envelope('AWS Console Sign In via CloudTrail', 'aws.signin', victimRootKey({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' } }, victim)) },
    { name: 'GuardDuty finding with a custom source', envelope: envelope('GuardDuty Finding', 'guardduty.custom', guardDuty()) },
    { name: 'GuardDuty finding about the victim', envelope: envelope('GuardDuty Finding', 'aws.guardduty', guardDuty()) },
    { name: 'Config change with a custom source', envelope: envelope('Config Rules Compliance Change', 'config.custom', victimConfigChange(victim)) },
    { name: 'Config change about the victim', envelope: envelope('Config Rules Compliance Change', 'aws.config', victimConfigChange(victim)) },
    { name: 'scan result about the victim', envelope: envelope(SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE, victimScanResult(victim)) },
  ];
}
