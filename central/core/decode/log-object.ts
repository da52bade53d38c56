/**
 * Turns the bytes of one input (a trail file, a JSON-lines file, an exported EventBridge event)
 * into normalized events plus a list of what could not be used. Pure: the caller reads the bytes,
 * so Lambda (S3 objects) and the CLI (local files) share it.
 */
import type { EventOrigin, SecurityEvent } from '../event.js';
import { isCloudTrailRecord, normalizeCloudTrail } from './cloudtrail.js';
import { isEventBridgeEnvelope, normalizeEnvelope } from './eventbridge.js';
import { obj } from './fields.js';
import { gunzipTolerant, isGzip } from './gunzip.js';
import { InvalidRecordError, type InputProblem } from './input-problem.js';
import { salvageRecords } from './salvage.js';

/** What one input yielded. */
export interface DecodedInput {
  readonly events: SecurityEvent[];
  readonly problems: InputProblem[];
  /** Why the whole input was deliberately skipped (a digest file), if it was. */
  readonly skipped?: string;
}

/** CloudTrail digest files sit beside the logs and hold no events. */
export function isDigestFile(name: string): boolean {
  return name.includes('CloudTrail-Digest');
}

/** Decodes one input; never throws for bad data, reporting it in `problems` instead. */
export async function decodeInput(name: string, bytes: Uint8Array): Promise<DecodedInput> {
  const out: DecodedInput = { events: [], problems: [] };
  if (isDigestFile(name)) return { ...out, skipped: 'CloudTrail digest file' };
  if (bytes.length === 0) {
    out.problems.push({ input: name, reason: 'empty file (0 bytes), nothing to read', level: 'notice' });
    return out;
  }
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isGzip(bytes)) {
    const unzipped = await gunzipTolerant(bytes);
    if (unzipped.error) {
      out.problems.push({ input: name, reason: `corrupt gzip (${unzipped.error}); reading the ${unzipped.data.length} bytes recovered`, level: 'error' });
    }
    data = unzipped.data;
    if (unzipped.error && data.length === 0) return out;
  }
  decodeText(name, data.toString('utf8'), out);
  return out;
}

/** Decodes already-parsed JSON (a record, an envelope, a Records document or an array of them). */
export function decodeParsed(value: unknown, input: string, out: DecodedInput, line?: number): void {
  const records = obj(value)?.Records;
  if (Array.isArray(records) || Array.isArray(value)) {
    const list = (Array.isArray(value) ? value : records) as unknown[];
    for (let i = 0; i < list.length; i++) decodeOne(list[i], { input, index: i, line }, out);
  } else {
    decodeOne(value, { input, line }, out);
  }
}

function decodeText(input: string, text: string, out: DecodedInput): void {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A regex stops at the first non-blank character; trim() would copy the whole text.
  if (!/\S/.test(text)) {
    out.problems.push({ input, reason: 'no content after decompression', level: 'notice' });
    return;
  }
  if (/\.(jsonl|ndjson)(\.gz)?$/i.test(input)) return decodeLines(input, text, out);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    if (firstLineIsJson(text)) return decodeLines(input, text, out);
    const salvage = salvageRecords(text);
    if (salvage) {
      out.problems.push({
        input,
        reason: `truncated or invalid JSON (${(err as Error).message}); kept ${salvage.records.length} complete records, lost the data after byte ${salvage.stoppedAt}`,
        level: 'error',
      });
      for (let i = 0; i < salvage.records.length; i++) decodeOne(salvage.records[i], { input, index: i }, out);
    } else {
      out.problems.push({ input, reason: `not JSON (${(err as Error).message})`, level: 'error' });
    }
    return;
  }
  decodeParsed(parsed, input, out);
}

function firstLineIsJson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  try {
    JSON.parse(text.slice(0, nl));
    return true;
  } catch {
    return false;
  }
}

function decodeLines(input: string, text: string, out: DecodedInput): void {
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const content = text.slice(start, end).trim();
    start = end + 1;
    if (content === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      out.problems.push({ input, line, reason: `not JSON (${(err as Error).message})`, level: 'error' });
      continue;
    }
    decodeParsed(parsed, input, out, line);
  }
}

function decodeOne(value: unknown, origin: EventOrigin, out: DecodedInput): void {
  try {
    if (isEventBridgeEnvelope(value)) out.events.push(normalizeEnvelope(value, origin));
    else if (isCloudTrailRecord(value)) out.events.push(normalizeCloudTrail(value, origin));
    else throw new InvalidRecordError('neither a CloudTrail record nor an EventBridge event');
  } catch (err) {
    if (!(err instanceof InvalidRecordError)) throw err;
    out.problems.push({ input: origin.input, line: origin.line, index: origin.index, reason: err.message, level: 'error' });
  }
}
