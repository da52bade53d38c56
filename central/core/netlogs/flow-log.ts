/**
 * Decodes VPC Flow Logs text files: S3 deliveries (a header line naming the fields, then records)
 * and CloudWatch exports (default-format lines, each maybe after an ISO timestamp). Pure and
 * tolerant: a bad line is reported with its number and the rest is read; nothing here throws.
 */
import type { FlowRecord } from './records.js';
import { compileFormat, DEFAULT_FORMAT, isFlowField, spaceTokens } from './flow-format.js';
import { FlowLine } from './flow-line.js';
import { flowRecord } from './flow-record.js';
import { FileProblems, NO_CONTENT, readLogText, type DecodedNetworkLog, type DeliveryOrigin, type LogTextOptions } from './log-input.js';

const SPACE = 32;
const DEFAULT = compileFormat(spaceTokens(DEFAULT_FORMAT));

/** Decodes the text of one flow-log file delivered as `origin` says; never throws for bad data. */
export function decodeFlowLog(name: string, text: string, origin: DeliveryOrigin = {}): DecodedNetworkLog<FlowRecord> {
  const records: FlowRecord[] = [];
  const problems = new FileProblems(name);
  let line: FlowLine | undefined;
  // Headerless files are CloudWatch exports, whose lines may start with the event's timestamp.
  let headerless = false;
  let unplaceable = 0;
  let sawContent = false;
  const reportUnplaceable = () => {
    if (unplaceable > 0 && line) problems.file(`the format has no ${line.format.missing.join(' or ')} field, so its ${unplaceable} record${unplaceable === 1 ? '' : 's'} cannot be placed in time; not read`);
    unplaceable = 0;
  };

  const length = text.length;
  let pos = 0;
  for (let number = 1; pos < length; number++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = length;
    let s = pos;
    let e = nl;
    pos = nl + 1;
    while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
    while (s < e && isBlank(text.charCodeAt(s))) s++;
    if (s === e) continue;
    sawContent = true;

    if (isHeader(text, s, e)) {
      // A header mid-file is where another file was appended, maybe in another format.
      reportUnplaceable();
      line = new FlowLine(text, compileFormat(spaceTokens(text.slice(s, e))));
      headerless = false;
      continue;
    }
    if (!line) {
      line = new FlowLine(text, DEFAULT);
      headerless = true;
    }
    if (headerless && startsWithIsoTime(text, s)) {
      s = text.indexOf(' ', s);
      while (s < e && text.charCodeAt(s) === SPACE) s++;
    }
    if (line.format.missing.length > 0) {
      unplaceable++;
      continue;
    }
    const count = cut(line, s, e);
    if (count !== line.format.width) {
      problems.line(number, `has ${count} fields, the format names ${line.format.width}`);
      continue;
    }
    const record = flowRecord(line, origin);
    if (typeof record === 'string') problems.line(number, record);
    else records.push(record);
  }
  reportUnplaceable();
  if (!sawContent) problems.file(NO_CONTENT, 'notice');
  return { records, problems: problems.finish() };
}

/** Decodes the bytes of one flow-log file, gzipped or not; corrupt gzip is reported and what it held read. */
export async function decodeFlowLogBytes(name: string, bytes: Uint8Array, origin: DeliveryOrigin = {}, options: LogTextOptions = {}): Promise<DecodedNetworkLog<FlowRecord>> {
  const problems: DecodedNetworkLog<FlowRecord>['problems'] = [];
  const text = await readLogText(name, bytes, problems, options);
  if (text === undefined) return { records: [], problems };
  const decoded = decodeFlowLog(name, text, origin);
  return { records: decoded.records, problems: [...problems, ...decoded.problems] };
}

/** Records the offsets of the line's tokens in `line`; returns how many tokens there are. */
function cut(line: FlowLine, s: number, e: number): number {
  const { text, start, end } = line;
  const { codeAt, width } = line.format;
  let count = 0;
  let p = s;
  while (p < e) {
    let q = text.indexOf(' ', p);
    if (q < 0 || q > e) q = e;
    if (count < width) {
      const code = codeAt[count]!;
      if (code >= 0) {
        start[code] = p;
        end[code] = q;
      }
    }
    count++;
    p = q + 1;
    while (p < e && text.charCodeAt(p) === SPACE) p++;
  }
  return count;
}

/** A header starts with a field name; no record does (records start with a number, an id or `-`). */
function isHeader(text: string, s: number, e: number): boolean {
  const c = text.charCodeAt(s);
  if (c < 97 || c > 122) return false;
  let q = text.indexOf(' ', s);
  if (q < 0 || q > e) q = e;
  return isFlowField(text.slice(s, q));
}

/** `2024-05-01T...`: the timestamp CloudWatch Logs puts before each exported event. */
function startsWithIsoTime(text: string, s: number): boolean {
  const c = text.charCodeAt(s);
  return c >= 48 && c <= 57 && text.charCodeAt(s + 4) === 45 && text.charCodeAt(s + 10) === 84;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === 13 || c === 9;
}

