/**
 * The "Object Created" events S3 sends to EventBridge, as the member's queue delivers them. Keys are
 * URL-encoded (`+` for a space), as in S3 notifications, and decoded here; versioned buckets add a
 * version id.
 */
import type { SQSRecord } from 'aws-lambda';
import { decodeS3Key } from '../../central/aws/lambda/s3-notification.js';
import type { ScannedObject } from './scan-result-of.js';

/** The object an "Object Created" event names; throws with the reason for anything else. */
export function objectOfCreatedEvent(record: Pick<SQSRecord, 'body'>): ScannedObject {
  let event: {
    'detail-type'?: string;
    account?: string;
    region?: string;
    detail?: { bucket?: { name?: string }; object?: { key?: string; size?: number; etag?: string; 'version-id'?: string } };
  };
  try {
    event = JSON.parse(record.body);
  } catch {
    throw new Error('message body is not JSON');
  }
  if (event['detail-type'] !== 'Object Created') throw new Error(`not an Object Created event: ${String(event['detail-type'])}`);
  const bucket = event.detail?.bucket?.name;
  const key = event.detail?.object?.key;
  if (!bucket || typeof key !== 'string' || !key) throw new Error('Object Created event without bucket or key');
  if (!event.account || !event.region) throw new Error('Object Created event without account or region');
  const object = event.detail!.object!;
  return {
    account: event.account,
    region: event.region,
    bucket,
    key: decodeS3Key(key),
    size: typeof object.size === 'number' ? object.size : 0,
    ...(object['version-id'] && { versionId: object['version-id'] }),
    ...(object.etag && { etag: object.etag }),
  };
}
