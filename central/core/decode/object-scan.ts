/**
 * Normalizes a member scanner's "Skywatch Object Scan Result" event. The detail is validated against
 * the schema the scanner writes with; its account must be the sender's, so one member cannot raise
 * findings in another member's account.
 */
import type { EventOrigin, SecurityEvent } from '../event.js';
import { ScanResultSchema, SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE } from '../../../member/scanner/scan-result.js';
import { partitionOf } from '../findings/asff.js';
import { RejectedEnvelopeError, requireSource } from './envelope-sender.js';
import { eventInstant } from './event-time.js';
import { str } from './fields.js';
import { InvalidRecordError } from './input-problem.js';

/** The event name scan results get. */
export const SCAN_RESULT_EVENT_NAME = 'ObjectScanResult';

/** Builds the SecurityEvent of a scan result sent by `sender` (the envelope's account); `raw` is the validated result. */
export function normalizeScanResult(envelope: Record<string, unknown>, detail: Record<string, unknown>, sender: string, now: Date, origin?: EventOrigin): SecurityEvent {
  const id = str(envelope.id);
  if (!id) throw new InvalidRecordError('Skywatch Object Scan Result envelope has no id');
  requireSource(envelope, SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE);
  const parsed = ScanResultSchema.safeParse(detail);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new InvalidRecordError(`Skywatch Object Scan Result is invalid at ${first.path.join('.') || '(detail)'}: ${first.message}`);
  }
  const result = parsed.data;
  if (sender !== result.account) throw new RejectedEnvelopeError('account-mismatch', SCAN_RESULT_DETAIL_TYPE, sender, result.account, 'account');
  return {
    id,
    kind: 'objectscan',
    time: eventInstant(result.scannedAt, 'detail.scannedAt', now).time,
    account: result.account,
    region: result.region,
    source: SCAN_RESULT_SOURCE,
    name: SCAN_RESULT_EVENT_NAME,
    actor: { type: 'AWSService', name: SCAN_RESULT_SOURCE },
    resources: [{ type: 'AwsS3Object', id: `arn:${partitionOf(result.region)}:s3:::${result.bucket}/${result.key}` }],
    raw: result,
    origin,
  };
}
