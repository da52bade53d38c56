/**
 * The Lambda edges built with the stacks: SQS records become events or object references, one failure
 * per bad record, the rest of the batch goes on.
 */
import type { SQSEvent } from 'aws-lambda';
import { readJsonLines } from '../support/fixtures.js';
import { sqsRecord } from '../support/sqs-events.js';
import { describe, expect, it } from 'vitest';
import { decodeDetectorRecord, detectorHandler, type DetectorRuntime } from '../../central/aws/detector/sqs-intake.js';
import { decodeS3Key, objectsOfNotification } from '../../central/aws/lambda/s3-notification.js';
import { objectOfCreatedEvent } from '../../member/scanner/object-created.js';

// A CloudTrail record from a Stratus Red Team detonation, as EventBridge delivers it.
const trailRecord = readJsonLines<{ sample_events: Array<Record<string, any>> }>('cloudtrail/stratus-dev-techniques.jsonl')[0]!.sample_events.find((e) => e.readOnly === false)!;

const record = (body: string, messageId = 'a1b2c3d4-0000-4000-8000-000000000001') => sqsRecord(body, messageId);

const envelope = {
  version: '0',
  id: 'cd2d702e-ab31-411b-9344-793ce56b1bc7',
  'detail-type': 'AWS API Call via CloudTrail',
  source: `aws.${String(trailRecord.eventSource).split('.')[0]}`,
  account: trailRecord.recipientAccountId,
  time: trailRecord.eventTime,
  region: trailRecord.awsRegion,
  resources: [],
  detail: trailRecord,
};

const trailKey = 'AWSLogs/o-exampleorgid/111122223333/CloudTrail/eu-west-1/2024/11/25/111122223333_CloudTrail_eu-west-1_20241125T1750Z_a%2Bb+c.json.gz';
const notification = {
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2024-11-25T17:55:02.123Z',
      eventName: 'ObjectCreated:Put',
      s3: { s3SchemaVersion: '1.0', bucket: { name: 'aws-controltower-logs-333333333333-eu-west-1', arn: 'arn:aws:s3:::aws-controltower-logs-333333333333-eu-west-1' }, object: { key: trailKey, size: 1843, sequencer: '0063E3B2D6E5C0A1B2' } },
    },
  ],
};

describe('the detector edge', () => {
  it('decodes an EventBridge envelope into one event', () => {
    const { events, objects } = decodeDetectorRecord(record(JSON.stringify(envelope)));
    expect(objects).toEqual([]);
    expect(events.map((e) => [e.kind, e.id, e.account, e.name])).toEqual([['cloudtrail', trailRecord.eventID, trailRecord.recipientAccountId, trailRecord.eventName]]);
  });

  it('decodes trail-file notifications, URL-decoding keys with + for a space, also when wrapped by SNS', () => {
    const expected = [{ bucket: 'aws-controltower-logs-333333333333-eu-west-1', key: trailKey.replace('a%2Bb+c', 'a+b c'), versionId: undefined, size: 1843 }];
    expect(decodeDetectorRecord(record(JSON.stringify(notification))).objects).toEqual(expected);
    const viaSns = { Type: 'Notification', MessageId: 'f0e1', TopicArn: 'arn:aws:sns:eu-west-1:333333333333:trail', Message: JSON.stringify(notification) };
    expect(decodeDetectorRecord(record(JSON.stringify(viaSns))).objects).toEqual(expected);
    expect(objectsOfNotification({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' })).toEqual([]);
    expect(decodeS3Key('a%20b+c%2B')).toBe('a b c+');
  });

  it('fails only the malformed records of a batch and passes the rest on', async () => {
    const seen: string[] = [];
    const runtime: DetectorRuntime = {
      detectEvents: async (events) => void seen.push(...events.map((e) => e.id)),
      detectObject: async (object) => void seen.push(object.key),
    };
    const batch: SQSEvent = {
      Records: [
        record(JSON.stringify(envelope), 'ok-1'),
        record('{"Records": [', 'truncated'),
        record(JSON.stringify({ 'detail-type': 'EC2 Instance State-change Notification', detail: {} }), 'unsupported'),
        record(JSON.stringify(notification), 'ok-2'),
      ],
    };
    const response = await detectorHandler(runtime)(batch);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'truncated' }, { itemIdentifier: 'unsupported' }]);
    expect(seen).toHaveLength(2);
  });
});

describe('the scanner edge', () => {
  it('reads account, region, bucket, URL-decoded key, version and etag of an Object Created event', () => {
    const created = {
      version: '0',
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '111122223333',
      time: '2024-11-25T17:55:02Z',
      region: 'eu-west-1',
      resources: ['arn:aws:s3:::example-uploads'],
      detail: { version: '0', bucket: { name: 'example-uploads' }, object: { key: 'reports/q4+2024%2B%28final%29.zip', size: 5242880, etag: 'b1946ac92492d2347c6235b4d2611184', 'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e', sequencer: '00617F08299329D189' }, reason: 'PutObject' },
    };
    expect(objectOfCreatedEvent(record(JSON.stringify(created)))).toEqual({
      account: '111122223333',
      region: 'eu-west-1',
      bucket: 'example-uploads',
      key: 'reports/q4 2024+(final).zip',
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      etag: 'b1946ac92492d2347c6235b4d2611184',
      size: 5242880,
    });
    expect(() => objectOfCreatedEvent(record(JSON.stringify({ ...created, 'detail-type': 'Object Deleted' })))).toThrow(/not an Object Created event/);
    expect(() => objectOfCreatedEvent(record('{"detail-type":'))).toThrow('message body is not JSON');
    expect(() => objectOfCreatedEvent(record(JSON.stringify({ ...created, detail: { ...created.detail, object: {} } })))).toThrow('Object Created event without bucket or key');
  });
});
