/**
 * Per-record processing of an SQS batch: a record that fails is reported in `batchItemFailures` (and
 * retried, then dead-lettered) while the rest of the batch succeeds. Requires the event source mapping's
 * ReportBatchItemFailures, which the stacks set.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { log } from './log.js';

/** Runs `handle` on every record; failures are logged with their message id and reason, never their body. */
export async function processBatch(event: SQSEvent, handle: (record: SQSRecord) => Promise<void>): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await handle(record);
    } catch (err) {
      log.error('record failed', { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount, reason: err instanceof Error ? err.message : String(err) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
