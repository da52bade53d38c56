/**
 * Detector: SQS batches from the central bus (EventBridge envelopes) and from organization-trail
 * notifications (S3 events naming trail files), one failure per bad record.
 * The record decoding is complete; the runtime (DynamoDB state and outbox, S3 reads) is issue #5.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { isEventBridgeEnvelope, normalizeEnvelope } from '../../core/decode/eventbridge.js';
import type { SecurityEvent } from '../../core/event.js';
import { requireEnv } from '../lambda/environment.js';
import { objectsOfNotification, type ObjectRef } from '../lambda/s3-notification.js';
import { processBatch } from '../lambda/sqs-batch.js';
import { RuntimeNotBuiltError } from '../runtime-not-built.js';

/** What the detector does with decoded input. */
export interface DetectorRuntime {
  detectEvents(events: readonly SecurityEvent[]): Promise<void>;
  detectObject(object: ObjectRef): Promise<void>;
}

/** Decodes one SQS record: an EventBridge envelope, or an S3 notification (possibly wrapped by SNS). */
export function decodeDetectorRecord(record: SQSRecord): { events: SecurityEvent[]; objects: ObjectRef[] } {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new Error('body is not JSON');
  }
  if (isEventBridgeEnvelope(body)) return { events: [normalizeEnvelope(body, { input: `sqs:${record.messageId}` })], objects: [] };
  const message = (body as { Type?: string; Message?: string }).Type === 'Notification' ? JSON.parse((body as { Message: string }).Message) : body;
  return { events: [], objects: objectsOfNotification(message) };
}

/** A detector handler over a runtime (the tests give an in-memory one). */
export function detectorHandler(runtime: DetectorRuntime) {
  return (event: SQSEvent) =>
    processBatch(event, async (record) => {
      const { events, objects } = decodeDetectorRecord(record);
      if (events.length > 0) await runtime.detectEvents(events);
      for (const object of objects) await runtime.detectObject(object);
    });
}

function awsRuntime(): DetectorRuntime {
  requireEnv('STATE_TABLE');
  requireEnv('TRAIL_BUCKET');
  throw new RuntimeNotBuiltError('detector', 'the DynamoDB state store and outbox');
}

let handle: ReturnType<typeof detectorHandler> | undefined;

/** The Lambda entry point; the runtime is built on the first invocation and reused. */
export const handler = (event: SQSEvent) => (handle ??= detectorHandler(awsRuntime()))(event);
