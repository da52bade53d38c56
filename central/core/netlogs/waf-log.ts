/**
 * Decodes AWS WAF log files: one JSON record per line, as WAF delivers to S3 and Firehose. Pure and
 * tolerant: a line that is not JSON, or lacks what a record must have, is reported with its number
 * and the rest is read; nothing here throws.
 */
import { arr, obj, str } from '../decode/fields.js';
import type { InputProblem } from '../decode/input-problem.js';
import type { WafRecord } from './records.js';
import { FileProblems, NO_CONTENT, readLogText, type DecodedNetworkLog, type DeliveryOrigin, type LogTextOptions } from './log-input.js';
import { parseWebAclArn, type WebAclArn } from './web-acl-arn.js';

/** Plausible request times in milliseconds, with room either side of WAF logging (2018-): outside them is seconds or a typo. */
const MIN_MS = 946_684_800_000; // 2000-01-01
const MAX_MS = 4_102_444_800_000; // 2100-01-01

/** Decodes the text of one WAF log file delivered as `origin` says; never throws for bad data. */
export function decodeWafLog(name: string, text: string, origin: DeliveryOrigin = {}): DecodedNetworkLog<WafRecord> {
  const records: WafRecord[] = [];
  const problems = new FileProblems(name);
  // A file holds one web ACL's requests: parse its ARN once.
  const arns = new Map<string, WebAclArn | undefined>();
  let sawContent = false;
  let pos = 0;
  for (let number = 1; pos < text.length; number++) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const content = text.slice(pos, nl).trim();
    pos = nl + 1;
    if (content === '') continue;
    sawContent = true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      problems.line(number, `not JSON (${(err as Error).message})`);
      continue;
    }
    const record = wafRecord(parsed, origin, arns);
    if (typeof record === 'string') problems.line(number, record);
    else records.push(record);
  }
  if (!sawContent) problems.file(NO_CONTENT, 'notice');
  return { records, problems: problems.finish() };
}

/** Decodes the bytes of one WAF log file, gzipped or not; corrupt gzip is reported and what it held read. */
export async function decodeWafLogBytes(name: string, bytes: Uint8Array, origin: DeliveryOrigin = {}, options: LogTextOptions = {}): Promise<DecodedNetworkLog<WafRecord>> {
  const problems: InputProblem[] = [];
  const text = await readLogText(name, bytes, problems, options);
  if (text === undefined) return { records: [], problems };
  const decoded = decodeWafLog(name, text, origin);
  return { records: decoded.records, problems: [...problems, ...decoded.problems] };
}

/** The record of one parsed line, or the reason it is rejected. */
function wafRecord(value: unknown, origin: DeliveryOrigin, arns: Map<string, WebAclArn | undefined>): WafRecord | string {
  const r = obj(value);
  if (!r) return 'not a WAF log record (not a JSON object)';
  const timestamp = r.timestamp;
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) return 'timestamp is missing or not a number of milliseconds';
  if (timestamp < MIN_MS || timestamp > MAX_MS) return `timestamp ${timestamp} is not a plausible time in milliseconds`;
  const webAclId = str(r.webaclId);
  if (!webAclId) return 'webaclId is missing';
  const action = str(r.action);
  if (!action) return 'action is missing';
  const terminatingRuleId = str(r.terminatingRuleId);
  if (!terminatingRuleId) return 'terminatingRuleId is missing';
  const request = obj(r.httpRequest);
  if (!request) return 'httpRequest is missing';
  const clientIp = str(request.clientIp);
  if (!clientIp) return 'httpRequest.clientIp is missing';
  if (typeof request.uri !== 'string') return 'httpRequest.uri is missing';

  if (!arns.has(webAclId)) arns.set(webAclId, parseWebAclArn(webAclId));
  const arn = arns.get(webAclId);
  // The delivery folder is the account's own; the ARN may only agree with it.
  if (arn && origin.account !== undefined && arn.account !== origin.account) {
    return `record names account ${arn.account} (in its web ACL ARN) but was delivered under account ${origin.account}`;
  }
  const account = origin.account ?? arn?.account;
  if (account === undefined) return 'no account: the path names none and webaclId is not a WAFv2 ARN';
  const region = origin.region ?? arn?.region;
  if (region === undefined) return 'no region: the path names none and webaclId is not a WAFv2 ARN';
  const headers = headerValues(request.headers);
  return {
    kind: 'waf',
    account,
    region,
    timestamp,
    webAclId,
    // WAF Classic logs a bare id: it is the only name there is.
    webAcl: arn?.name ?? webAclId,
    action,
    terminatingRuleId,
    terminatingRuleType: str(r.terminatingRuleType),
    clientIp,
    country: str(request.country),
    uri: request.uri,
    args: typeof request.args === 'string' ? request.args : undefined,
    httpMethod: str(request.httpMethod),
    host: headers.host,
    userAgent: headers.userAgent,
    labels: labelNames(r.labels),
    requestId: str(request.requestId) ?? str(r.requestId),
  };
}

/** The Host and User-Agent headers, whatever their case; the first of each wins. */
function headerValues(headers: unknown): { host?: string; userAgent?: string } {
  let host: string | undefined;
  let userAgent: string | undefined;
  for (const h of arr(headers)) {
    const header = obj(h);
    const name = typeof header?.name === 'string' ? header.name.toLowerCase() : undefined;
    const value = header?.value;
    if (typeof value !== 'string') continue;
    if (name === 'host') host ??= value;
    else if (name === 'user-agent') userAgent ??= value;
  }
  return { host, userAgent };
}

function labelNames(labels: unknown): string[] {
  const names: string[] = [];
  for (const label of arr(labels)) {
    const name = str(obj(label)?.name);
    if (name) names.push(name);
  }
  return names;
}
