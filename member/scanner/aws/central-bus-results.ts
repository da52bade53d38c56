/** Sends scan results to the central bus as "Skywatch Object Scan Result" events. */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ScanResultSink } from '../scanner-runtime.js';
import { resultEntry } from '../result-entry.js';
import type { ScanResult } from '../scan-result.js';

/** PutEvents answered 200 but refused the entry: it is retried with the message. */
export class ResultNotSentError extends Error {
  override readonly name = 'ResultNotSentError';
  constructor(readonly code: string | undefined, message: string | undefined) {
    super(`the central bus refused the scan result: ${code ?? 'unknown error'}${message ? ` (${message})` : ''}`);
  }
}

export class CentralBusResults implements ScanResultSink {
  constructor(private readonly client: EventBridgeClient, private readonly busArn: string) {}

  async send(result: ScanResult): Promise<void> {
    const response = await this.client.send(
      new PutEventsCommand({
        // The entry resultOf sized: the same fields, so the size it kept under is the size sent.
        Entries: [{ EventBusName: this.busArn, ...resultEntry(result) }],
      }),
    );
    // A partial failure is not an exception: it is in the entry's ErrorCode.
    const entry = response.Entries?.[0];
    if ((response.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode) throw new ResultNotSentError(entry?.ErrorCode, entry?.ErrorMessage);
  }
}
