/**
 * Finds and reads the network logs among replay inputs: VPC Flow Logs and AWS WAF logs, known by
 * their S3 layout (`AWSLogs/ACCOUNT/vpcflowlogs/REGION/...`, `.../WAFLogs/...`, Firehose names) or,
 * for a loose file, by their first line. The account and region of a file in the layout are the
 * folder's, which the delivering service wrote; a record claiming another account is rejected by
 * the decoder.
 */
import { open, readFile } from 'node:fs/promises';
import { constants, inflateRawSync } from 'node:zlib';
import type { InputProblem } from '../core/decode/input-problem.js';
import type { InputLimits } from '../core/decode/limits.js';
import { decodeFlowLogBytes } from '../core/netlogs/flow-log.js';
import { classifyNetworkInput, type NetworkLayout } from '../core/netlogs/log-layout.js';
import type { NetworkRecord } from '../core/netlogs/records.js';
import { decodeWafLogBytes } from '../core/netlogs/waf-log.js';

/** Bytes read to see a file's first line. */
const HEAD_BYTES = 16 * 1024;

/** Organization-trail paths, which are never network logs: not worth opening to look. */
const TRAIL_PATH = /(?:^|[/\\])CloudTrail(?:-Digest|-Insight)?[/\\]|_CloudTrail(?:-Digest|-Insight)?_/;

/** The network layout of a file, or undefined when it is not a network log (CloudTrail, other). */
export async function networkLayoutOf(path: string): Promise<NetworkLayout | undefined> {
  const byPath = classifyNetworkInput(path, '');
  if (byPath || TRAIL_PATH.test(path)) return byPath;
  let head: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return undefined; // unreadable: the CloudTrail path reports it by name
  }
  return classifyNetworkInput(path, firstLine(head));
}

/** The first line of a file's head, gunzipping as much as the head holds. */
function firstLine(head: Buffer): string {
  let text = head;
  if (head.length > 10 && head[0] === 0x1f && head[1] === 0x8b) {
    try {
      text = inflateRawSync(head.subarray(gzipHeaderLength(head)), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return '';
    }
  }
  const s = text.toString('utf8');
  const end = s.search(/\r?\n/);
  return end < 0 ? s : s.slice(0, end);
}

/** The length of a gzip member's header (RFC 1952), so the deflate data after it can be read. */
function gzipHeaderLength(b: Buffer): number {
  const flags = b[3]!;
  let at = 10;
  if (flags & 4) at += 2 + b.readUInt16LE(at);
  if (flags & 8) while (at < b.length && b[at++] !== 0);
  if (flags & 16) while (at < b.length && b[at++] !== 0);
  if (flags & 2) at += 2;
  return at;
}

/** One network log file's records and problems. */
export interface NetworkFileRead {
  readonly records: NetworkRecord[];
  readonly problems: InputProblem[];
}

/** Reads and decodes one network log file; what goes wrong is a problem naming the file. */
export async function readNetworkFile(path: string, layout: NetworkLayout, limits: InputLimits): Promise<NetworkFileRead> {
  return decodeNetworkBytes(path, await readNetworkBytes(path, limits), layout, limits);
}

/** The bytes of a network log file, or the problem that stops it being read (unreadable, over the size limit). */
export async function readNetworkBytes(path: string, limits: InputLimits): Promise<Buffer | InputProblem> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return { input: path, reason: `could not be read (${(err as Error).message})`, level: 'error' };
  }
  if (bytes.length > limits.maxFileBytes) {
    return { input: path, reason: `file of ${bytes.length} bytes is over the limit of ${limits.maxFileBytes} bytes; not read`, level: 'error' };
  }
  return bytes;
}

/** The account and region a file's records must belong to: its delivery folder's, when its path has one. */
export function deliveryOrigin(layout: NetworkLayout): { account?: string; region?: string } {
  return layout.account ? { account: layout.account, region: layout.region } : {};
}

/** Decodes what `readNetworkBytes` gave, as the file's layout says. */
export async function decodeNetworkBytes(path: string, read: Buffer | InputProblem, layout: NetworkLayout, limits: InputLimits): Promise<NetworkFileRead> {
  if (!Buffer.isBuffer(read)) return { records: [], problems: [read] };
  const origin = deliveryOrigin(layout);
  const options = { maxTextBytes: limits.maxTextBytes };
  return layout.kind === 'flow' ? decodeFlowLogBytes(path, read, origin, options) : decodeWafLogBytes(path, read, origin, options);
}
