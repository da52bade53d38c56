/**
 * Member scanner: SQS batches of S3 "Object Created" EventBridge events from opted-in buckets. Keys in
 * these events are not URL-encoded (unlike S3 notifications); versioned objects carry a version id.
 * The scanning itself (YARA-X, secrets, redaction) and the result events are issue #6.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { requireEnv } from '../../central/aws/lambda/environment.js';
import type { ObjectRef } from '../../central/aws/lambda/s3-notification.js';
import { processBatch } from '../../central/aws/lambda/sqs-batch.js';
import { RuntimeNotBuiltError } from '../../central/aws/runtime-not-built.js';

/** The object an "Object Created" event names. */
export function objectOfCreatedEvent(record: SQSRecord): ObjectRef {
  const event = JSON.parse(record.body) as { 'detail-type'?: string; detail?: { bucket?: { name?: string }; object?: { key?: string; size?: number; 'version-id'?: string } } };
  if (event['detail-type'] !== 'Object Created') throw new Error(`not an Object Created event: ${String(event['detail-type'])}`);
  const bucket = event.detail?.bucket?.name;
  const key = event.detail?.object?.key;
  if (!bucket || typeof key !== 'string') throw new Error('Object Created event without bucket or key');
  return { bucket, key, versionId: event.detail?.object?.['version-id'], size: event.detail?.object?.size };
}

/** The Lambda entry point. */
export const handler = (event: SQSEvent) => {
  requireEnv('CENTRAL_BUS_ARN');
  return processBatch(event, async (record) => {
    objectOfCreatedEvent(record);
    throw new RuntimeNotBuiltError('scanner', 'the object scanner');
  });
};
