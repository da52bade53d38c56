/** Realistic, redacted CloudTrail records for tests, with the fields CloudTrail really writes. */
import { randomUUID } from 'node:crypto';

type Json = Record<string, unknown>;

/** An SSO administrator session in account 111122223333 calling from 192.0.2.10. */
export function cloudTrailRecord(overrides: Json = {}): Json {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLEID123:alice@example.com',
      arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com',
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLEKEY123456',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEROLEID123',
          arn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
          accountId: '111122223333',
          userName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
        },
        attributes: { creationDate: '2026-11-02T08:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2026-11-02T09:14:03Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8',
    requestParameters: { instancesSet: {}, filterSet: {} },
    responseElements: null,
    requestID: '6f1e0f4c-2b7a-4c1d-9e3f-5a6b7c8d9e0f',
    eventID: randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'ec2.eu-west-1.amazonaws.com' },
    ...overrides,
  };
}

/** The root user of 111122223333 calling from 198.51.100.24. */
export const rootIdentity = {
  type: 'Root',
  principalId: '111122223333',
  arn: 'arn:aws:iam::111122223333:root',
  accountId: '111122223333',
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  sessionContext: { attributes: { creationDate: '2026-11-02T09:12:44Z', mfaAuthenticated: 'true' } },
};

/** Wraps a CloudTrail record in the EventBridge envelope members forward to the central bus. */
export function apiCallEnvelope(record: Json): Json {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).split('.')[0]}`,
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** The envelope AWS puts around a CloudTrail record on a member's default bus, by the record's event type. */
export function eventBridgeEnvelope(record: Json): Json {
  if ('detail-type' in record) return record;
  const detailType =
    record.eventType === 'AwsConsoleSignIn' ? 'AWS Console Sign In via CloudTrail'
      : record.eventType === 'AwsServiceEvent' ? 'AWS Service Event via CloudTrail'
        : 'AWS API Call via CloudTrail';
  return { ...apiCallEnvelope(record), 'detail-type': detailType };
}
