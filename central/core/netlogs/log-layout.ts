/**
 * Which network log an input is, from where the delivering service put it and, when the path says
 * nothing (a loose local file), from its first line. The path's account and region are what the
 * decoders trust: only the service writes under `AWSLogs/ACCOUNT/...`. Anything else (CloudTrail
 * among it) is undefined here and decided elsewhere.
 */
import { isFlowField, spaceTokens } from './flow-format.js';

/** A VPC Flow Logs file; account, region and day are set when its path has the S3 layout. */
export interface FlowLayout {
  readonly kind: 'flow';
  readonly account?: string;
  readonly region?: string;
  /** The delivery folder's day, `YYYY-MM-DD`. */
  readonly day?: string;
}

/** An AWS WAF log file; account, region and web ACL are set when its path has the S3 layout. */
export interface WafLayout {
  readonly kind: 'waf';
  readonly account?: string;
  /** The region folder; `cloudfront` for web ACLs of CloudFront distributions. */
  readonly region?: string;
  readonly webAcl?: string;
  /** The delivery's day, `YYYY-MM-DD`. */
  readonly day?: string;
  /** Delivered by Kinesis Data Firehose: the path names no account; the records' ARNs must. */
  readonly firehose?: boolean;
}

/** Either network log layout. */
export type NetworkLayout = FlowLayout | WafLayout;

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const DAY = '(\\d{4})/(\\d\\d)/(\\d\\d)';
const LOG_FILE = '[^/]+\\.log(?:\\.gz)?$';
const FLOW = new RegExp(`(?:^|/)AWSLogs/(\\d{12})/vpcflowlogs/(${REGION})/${DAY}/(?:\\d\\d/)?${LOG_FILE}`);
// The "Hive-compatible" S3 prefix option of flow logs.
const FLOW_HIVE = new RegExp(`(?:^|/)AWSLogs/aws-account-id=(\\d{12})/aws-service=vpcflowlogs/aws-region=(${REGION})/year=(\\d{4})/month=(\\d\\d)/day=(\\d\\d)/(?:hour=\\d\\d/)?${LOG_FILE}`);
const WAF = new RegExp(`(?:^|/)AWSLogs/(\\d{12})/WAFLogs/(cloudfront|${REGION})/([^/]+)/${DAY}/\\d\\d/\\d\\d/${LOG_FILE}`);
// Firehose names objects STREAM-VERSION-YYYY-MM-DD-HH-MM-SS-UUID; WAF requires streams named aws-waf-logs-*.
const FIREHOSE_WAF = /(?:^|\/)aws-waf-logs-[^/]+-\d+-(\d{4})-(\d\d)-(\d\d)-\d\d-\d\d-\d\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\.gz)?$/;

/** A flow line is a few hundred characters; a longer first line is something else. */
const MAX_FLOW_LINE = 4096;

/** The layout of an input by its path, else by its first line; undefined when it is no network log. */
export function classifyNetworkInput(path: string, firstLine: string): NetworkLayout | undefined {
  const byPath = layoutOfPath(path);
  if (byPath) return byPath;
  const kind = sniffNetworkLog(firstLine);
  return kind ? { kind } : undefined;
}

/** The layout an S3 key or local path shows, whatever prefix comes before `AWSLogs/`. */
export function layoutOfPath(path: string): NetworkLayout | undefined {
  const p = path.includes('\\') ? path.replaceAll('\\', '/') : path;
  const flow = FLOW.exec(p) ?? FLOW_HIVE.exec(p);
  if (flow) return { kind: 'flow', account: flow[1]!, region: flow[2]!, day: `${flow[3]}-${flow[4]}-${flow[5]}` };
  const waf = WAF.exec(p);
  if (waf) return { kind: 'waf', account: waf[1]!, region: waf[2]!, webAcl: waf[3]!, day: `${waf[4]}-${waf[5]}-${waf[6]}` };
  const firehose = FIREHOSE_WAF.exec(p);
  if (firehose) return { kind: 'waf', firehose: true, day: `${firehose[1]}-${firehose[2]}-${firehose[3]}` };
  return undefined;
}

/**
 * What a first line shows: a flow-log header or default-format record, or a WAF JSON record.
 * Undefined for anything else.
 */
export function sniffNetworkLog(firstLine: string): 'flow' | 'waf' | undefined {
  const line = (firstLine.charCodeAt(0) === 0xfeff ? firstLine.slice(1) : firstLine).trim();
  if (line.startsWith('{')) return isWafJson(line) ? 'waf' : undefined;
  if (line.length > MAX_FLOW_LINE) return undefined;
  let tokens = spaceTokens(line);
  if (tokens.length >= 2 && tokens.every(isFlowField)) return 'flow';
  // CloudWatch exports put the event's time first.
  if (/^\d{4}-\d\d-\d\dT/.test(tokens[0] ?? '')) tokens = tokens.slice(1);
  if (tokens.length >= 14 && /^[2-5]$/.test(tokens[0]!) && /^\d{12}$/.test(tokens[1]!)) return 'flow';
  return undefined;
}

function isWafJson(line: string): boolean {
  // Parsing is the expensive part, and a trail file's first line can be the whole file.
  if (!line.includes('"webaclId"') || !line.includes('"httpRequest"')) return false;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && 'webaclId' in value && 'httpRequest' in value;
  } catch {
    return false;
  }
}
