/**
 * The member scanner's work for one queued message: is the bucket opted in, read the object within
 * the size limit, scan it, and put the result on the central bus. Every opted-in object gets a
 * result, scanned or not ("not scanned: too large"); an object that cannot be read or a result that
 * cannot be sent fails its message alone, so SQS retries it and then dead-letters it.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ObjectTooLargeError, type Clock, type ObjectStore } from '../../central/core/ports.js';
import { processBatch } from '../../central/aws/lambda/sqs-batch.js';
import { log } from '../../central/aws/lambda/log.js';
import { objectOfCreatedEvent } from './object-created.js';
import { scanName, scanObject, type Scanner } from './scan-object.js';
import { resultOf, type ScannedObject } from './scan-result-of.js';
import type { ScanNote, ScanResult } from './scan-result.js';

/** Where results go (the central bus in AWS). */
export interface ScanResultSink {
  send(result: ScanResult): Promise<void>;
}

/** Whether a bucket carries the opt-in tag. */
export interface OptInCheck {
  isOptedIn(bucket: string): Promise<boolean>;
}

/** What the runtime needs. */
export interface ScannerRuntime {
  readonly scanner: Scanner;
  readonly objects: ObjectStore;
  readonly results: ScanResultSink;
  readonly optIn: OptInCheck;
  readonly maxObjectBytes: number;
  readonly clock: Clock;
}

/** Scans the object of one Object Created event; returns its result, or undefined for a bucket that is not opted in. */
export async function scanCreatedObject(object: ScannedObject, runtime: ScannerRuntime): Promise<ScanResult | undefined> {
  if (!(await runtime.optIn.isOptedIn(object.bucket))) return undefined;
  // The result names the object by its key as shown: a secret in the key is masked there too.
  const name = scanName(object.key, runtime.scanner);
  const shown = { ...object, key: name.shownName };
  const context = () => ({ rulesVersion: runtime.scanner.rulesVersion, now: runtime.clock.now(), keyMasked: name.shownName !== object.key });
  const tooLarge = (bytes: number): ScanNote => ({ path: name.shownName, reason: 'too-large', detail: `not scanned: too large (${bytes} bytes, limit ${runtime.maxObjectBytes})` });
  let result: ScanResult;
  if (object.size > runtime.maxObjectBytes) {
    result = resultOf(shown, name, [tooLarge(object.size)], context());
  } else {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await runtime.objects.read(object, runtime.maxObjectBytes);
    } catch (err) {
      if (!(err instanceof ObjectTooLargeError)) throw err;
      result = resultOf(shown, name, [tooLarge(err.bytes)], context());
    }
    if (bytes) result = resultOf({ ...shown, size: bytes.byteLength }, await scanObject(object.key, bytes, runtime.scanner), [], context());
  }
  await runtime.results.send(result!);
  return result!;
}

/** The SQS handler over a runtime: per-record failures, a log line per result without any matched value. */
export function scannerHandler(runtime: () => Promise<ScannerRuntime>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const ready = await runtime();
    return processBatch(event, async (record) => {
      const object = objectOfCreatedEvent(record);
      // Log lines name the key as results do, any secret in it masked.
      const where = { bucket: object.bucket, key: scanName(object.key, ready.scanner).shownName, ...(object.versionId && { versionId: object.versionId }) };
      try {
        const result = await scanCreatedObject(object, ready);
        if (!result) log.info('bucket not opted in', { bucket: object.bucket });
        else log.info('object scanned', { ...where, status: result.status, matches: result.matchCount, rules: [...new Set(result.matches.map((m) => m.rule))], notes: result.notes.map((n) => n.reason) });
      } catch (err) {
        // The message id alone would not say which object failed.
        log.error('object not scanned', { ...where, reason: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    });
  };
}
