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
import { DEFAULT_INPUT_LIMITS } from './limits.js';
import { recoverDocuments } from './recover.js';
import { isDigestFile, isInsightsDocument, isInsightsEvent, isInsightsFile, SKIPPED } from './skipped-inputs.js';
import { isTar, isTarName, TAR_NOT_READ } from './tar.js';
import { keepTrailAccount } from './trail-key.js';

export { isDigestFile } from './skipped-inputs.js';

/** What one input yielded. */
export interface DecodedInput {
  readonly events: SecurityEvent[];
  readonly problems: InputProblem[];
  /** Why the whole input was deliberately skipped (a digest or Insights file), if it was. */
  readonly skipped?: string;
}

/** How to decode; every field is optional, so callers pass only what they change. */
export interface DecodeOptions {
  /** The most bytes of text the input may decode to; default `DEFAULT_INPUT_LIMITS.maxTextBytes`. */
  readonly maxTextBytes?: number;
}

/** Decodes one input; never throws for bad data, reporting it in `problems` instead. */
export async function decodeInput(name: string, bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedInput> {
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_INPUT_LIMITS.maxTextBytes;
  const out: DecodedInput = { events: [], problems: [] };
  const fail = (reason: string): DecodedInput => {
    out.problems.push({ input: name, reason, level: 'error' });
    return out;
  };
  if (isDigestFile(name)) return { ...out, skipped: SKIPPED.digest };
  if (isInsightsFile(name)) return { ...out, skipped: SKIPPED.insights };
  if (isTarName(name)) return fail(TAR_NOT_READ);
  if (bytes.length === 0) {
    out.problems.push({ input: name, reason: 'empty file (0 bytes), nothing to read', level: 'notice' });
    return out;
  }
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isGzip(bytes)) {
    const unzipped = await gunzipTolerant(bytes, maxTextBytes);
    if (unzipped.exceeded) return fail(`decompresses to more than the limit of ${maxTextBytes} bytes; not read`);
    if (unzipped.error) {
      out.problems.push({ input: name, reason: `corrupt gzip (${unzipped.error}); reading the ${unzipped.data.length} bytes recovered`, level: 'error' });
    }
    data = unzipped.data;
    if (unzipped.error && data.length === 0) return out;
  } else if (data.length > maxTextBytes) {
    return fail(`text of ${data.length} bytes is over the limit of ${maxTextBytes} bytes; not read`);
  }
  if (isTar(data)) return fail(TAR_NOT_READ);
  const skipped = decodeText(name, data.toString('utf8'), out);
  // A trail file speaks only for the account whose folder holds it.
  const trail = keepTrailAccount(name, out.events);
  const decoded = { events: trail.events, problems: [...out.problems, ...trail.problems] };
  return skipped ? { ...decoded, skipped } : decoded;
}

/** Decodes already-parsed JSON (a record, an envelope, a Records document or an array of them). */
export function decodeParsed(value: unknown, input: string, out: DecodedInput, line?: number): void {
  decodeDocument(value, input, out, { line, firstIndex: 0 });
}

/**
 * Decodes one document; in a file of several, `firstIndex` counts on from the records before it.
 * Returns how many records the document held.
 */
function decodeDocument(value: unknown, input: string, out: DecodedInput, at: { line?: number; firstIndex: number }): number {
  const records = obj(value)?.Records;
  if (Array.isArray(records) || Array.isArray(value)) {
    const list = (Array.isArray(value) ? value : records) as unknown[];
    for (let i = 0; i < list.length; i++) decodeOne(list[i], { input, index: at.firstIndex + i, line: at.line }, out);
    return list.length;
  }
  decodeOne(value, { input, line: at.line }, out);
  return 1;
}

/** Decodes a whole text; returns why it was skipped, if it was. */
function decodeText(input: string, text: string, out: DecodedInput): string | undefined {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A regex stops at the first non-blank character; trim() would copy the whole text.
  if (!/\S/.test(text)) {
    out.problems.push({ input, reason: 'no content after decompression', level: 'notice' });
    return;
  }
  if (/\.(jsonl|ndjson)(\.gz)?$/i.test(input)) {
    decodeLines(input, text, out);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    if (firstLineIsJson(text)) decodeLines(input, text, out);
    else decodeRecovered(input, text, err as Error, out);
    return;
  }
  if (isInsightsDocument(parsed)) return SKIPPED.insights;
  decodeParsed(parsed, input, out);
}

/** Text that is not one document: several in a row, a truncated one, or not JSON at all. */
function decodeRecovered(input: string, text: string, parseError: Error, out: DecodedInput): void {
  const { documents, salvaged, damage } = recoverDocuments(text, parseError);
  if (documents.length === 0 && !damage?.hasRecords) {
    out.problems.push({ input, reason: `not JSON (${parseError.message})`, level: 'error' });
    return;
  }
  if (damage) {
    const kept = documents.reduce((n: number, d) => n + recordCount(d), 0) + salvaged.length;
    const where = damage.at > 0 ? ` in the document at byte ${damage.at}` : '';
    out.problems.push({
      input,
      reason: `truncated or invalid JSON${where} (${damage.message}); kept ${kept} complete records, lost the data after byte ${damage.lostAfter}`,
      level: 'error',
    });
  }
  let index = 0;
  for (const document of documents) index += decodeDocument(document, input, out, { firstIndex: index });
  for (const record of salvaged) decodeOne(record, { input, index: index++ }, out);
}

function recordCount(document: unknown): number {
  const records = obj(document)?.Records;
  return Array.isArray(document) ? document.length : Array.isArray(records) ? records.length : 1;
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
  // Insights events describe call rates, not calls: none of the normalizers' business.
  if (isInsightsEvent(value)) {
    out.problems.push({ input: origin.input, line: origin.line, index: origin.index, reason: 'CloudTrail Insights event, not read', level: 'notice' });
    return;
  }
  try {
    if (isEventBridgeEnvelope(value)) out.events.push(normalizeEnvelope(value, origin));
    else if (isCloudTrailRecord(value)) out.events.push(normalizeCloudTrail(value, origin));
    else throw new InvalidRecordError('neither a CloudTrail record nor an EventBridge event');
  } catch (err) {
    if (!(err instanceof InvalidRecordError)) throw err;
    out.problems.push({ input: origin.input, line: origin.line, index: origin.index, reason: err.message, level: 'error' });
  }
}
