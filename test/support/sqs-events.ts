/** SQS events as Lambda receives them, around EventBridge envelopes and S3 notifications. */
import type { SQSEvent, SQSRecord } from 'aws-lambda';

let sequence = 0;

/** One SQS record with a body; message ids are unique unless given. */
export function sqsRecord(body: string, messageId = `059f36b4-87a3-44ab-83d2-${String(++sequence).padStart(12, '0')}`): SQSRecord {
  return {
    messageId,
    receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1732557081000', SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: '1732557081010' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:222222222222:SkywatchCentral-Work',
    awsRegion: 'eu-west-1',
  };
}

/** A batch of records. */
export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** Encodes a key as S3 notifications do: URL-encoded, a space as `+`. */
export function notificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** The S3 event notification S3 sends for a new object (one record). */
export function s3Notification(bucket: string, key: string, size: number): Record<string, unknown> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: '2026-11-02T09:20:11.201Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROAEXAMPLECLOUDTRAIL:regionalDeliverySession' },
        requestParameters: { sourceIPAddress: '192.0.2.44' },
        responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'skywatch-trail',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: notificationKey(key), size, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  };
}
