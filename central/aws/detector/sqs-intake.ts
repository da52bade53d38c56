/**
 * The detector's SQS edge: decodes records from the central bus (EventBridge envelopes) and from
 * organization-trail notifications (S3 events naming trail files) and hands them to the intake.
 * Findings are in the outbox before a record is acknowledged; a record that fails is reported alone
 * (`batchItemFailures`) and, after the queue's retries, dead-lettered with its reason in the log.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { RejectedEnvelopeError } from '../../core/decode/envelope-sender.js';
import { isEventBridgeEnvelope, normalizeEnvelope } from '../../core/decode/eventbridge.js';
import { describeProblem } from '../../core/decode/input-problem.js';
import type { SecurityEvent } from '../../core/event.js';
import type { Intake, IntakeOutcome } from '../../core/intake.js';
import { log } from '../lambda/log.js';
import { objectsOfNotification, type ObjectRef } from '../lambda/s3-notification.js';
import { processBatch } from '../lambda/sqs-batch.js';
import { builtOnce } from '../lambda/built-once.js';

/** What the detector does with decoded input. */
export interface DetectorRuntime {
  detectEvents(events: readonly SecurityEvent[]): Promise<void>;
  detectObject(object: ObjectRef): Promise<void>;
}

/** The metric counting envelopes refused because they spoke for an account they do not come from. */
export const REJECTED_EVENTS_METRIC = 'RejectedEvents';

/**
 * Decodes one SQS record: an EventBridge envelope, or an S3 notification (possibly wrapped by SNS).
 * An envelope that speaks for another account comes back as `rejected`, never as an event.
 */
export function decodeDetectorRecord(record: SQSRecord): { events: SecurityEvent[]; objects: ObjectRef[]; rejected?: RejectedEnvelopeError } {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new Error('body is not JSON');
  }
  if (isEventBridgeEnvelope(body)) {
    try {
      return { events: [normalizeEnvelope(body, { input: `sqs:${record.messageId}` })], objects: [] };
    } catch (err) {
      if (err instanceof RejectedEnvelopeError) return { events: [], objects: [], rejected: err };
      throw err;
    }
  }
  const message = (body as { Type?: string; Message?: string }).Type === 'Notification' ? JSON.parse((body as { Message: string }).Message) : body;
  return { events: [], objects: objectsOfNotification(message) };
}

/**
 * A rejected envelope is counted and logged with both accounts, then acknowledged: retrying a
 * forgery cannot make it true, and the dead-letter queue is for what might still succeed.
 */
function reportRejected(rejected: RejectedEnvelopeError, messageId: string): void {
  log.count('warn', 'event rejected', REJECTED_EVENTS_METRIC, { Reason: rejected.reason }, {
    messageId,
    detailType: rejected.detailType,
    sender: rejected.sender,
    ...(rejected.claimed !== undefined && { claimed: rejected.claimed, field: `detail.${rejected.field}` }),
    ...(rejected.source !== undefined && { source: rejected.source }),
  });
}

/** A detector handler over a runtime (the tests give an in-memory one). */
export function detectorHandler(runtime: DetectorRuntime | (() => Promise<DetectorRuntime>)) {
  const get = builtOnce(runtime);
  return async (event: SQSEvent) => {
    const run = await get();
    return processBatch(event, async (record) => {
      const { events, objects, rejected } = decodeDetectorRecord(record);
      if (rejected) reportRejected(rejected, record.messageId);
      if (events.length > 0) await run.detectEvents(events);
      for (const object of objects) await run.detectObject(object);
    });
  };
}

/** Where the detector reads trail files from, and how much of one. */
export interface TrailSource {
  readonly bucket: string;
  /** Keys outside this prefix are refused: the queue only ever carries organization-trail files. */
  readonly prefix: string;
  readonly maxObjectBytes: number;
}

/** The runtime over an Intake: logs outcomes and problems (input and reason, never record content). */
export function intakeRuntime(intake: Intake, trail: TrailSource, refresh: () => Promise<void> = async () => {}): DetectorRuntime {
  const report = (input: string, outcome: IntakeOutcome) => {
    for (const problem of outcome.problems) (problem.level === 'error' ? log.error : log.info)('input problem', { problem: describeProblem(problem) });
    for (const failure of outcome.ruleFailures) log.error('rule failed', { ruleId: failure.ruleId, eventId: failure.eventId, error: failure.error });
    log.info('input detected', { input, events: outcome.events, fresh: outcome.fresh, findings: outcome.findings, signals: outcome.signals, ...(outcome.skipped && { skipped: outcome.skipped }) });
  };
  return {
    async detectEvents(events) {
      await refresh();
      report('eventbridge', await intake.detectEvents(events));
    },
    async detectObject(object) {
      if (object.bucket !== trail.bucket || !object.key.startsWith(trail.prefix)) {
        throw new Error(`s3://${object.bucket}/${object.key} is not under the organization trail s3://${trail.bucket}/${trail.prefix}`);
      }
      await refresh();
      report(`s3://${object.bucket}/${object.key}`, await intake.detectObject(object));
    },
  };
}
