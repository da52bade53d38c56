/**
 * A scan result as one PutEvents entry, and the entry's size as EventBridge counts it: the UTF-8 bytes
 * of Source, DetailType, Detail and each of Resources (Time, which we do not set, would add 14).
 * EventBridge refuses an entry of 256 KB or more, so resultOf keeps every result under that.
 */
import { SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_SOURCE, type ScanResult } from './scan-result.js';

/** EventBridge's limit on one entry: the entry must be smaller than this many bytes. */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** The fields of a PutEvents entry that count towards its size (the bus name does not). */
export interface ResultEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Resources: string[];
  readonly Detail: string;
}

/** The entry that carries `result`. */
export function resultEntry(result: ScanResult): ResultEntry {
  return {
    Source: SCAN_RESULT_SOURCE,
    DetailType: SCAN_RESULT_DETAIL_TYPE,
    Resources: [`arn:aws:s3:::${result.bucket}/${result.key}`],
    Detail: JSON.stringify(result),
  };
}

/** The entry's size in bytes, as EventBridge computes it. */
export function entrySize(entry: ResultEntry): number {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  return bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + entry.Resources.reduce((n, r) => n + bytes(r), 0);
}
