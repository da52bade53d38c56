/**
 * The fields of a VPC Flow Logs format: which fields the decoder reads, the version each came with,
 * and a header line turned once per file into a token-index → field table, so decoding a line is a
 * lookup per token instead of a name comparison.
 */

/** The fields the decoder reads, as small integers indexing per-line scratch arrays. */
export const F = {
  version: 0,
  account: 1,
  interfaceId: 2,
  srcAddr: 3,
  dstAddr: 4,
  srcPort: 5,
  dstPort: 6,
  protocol: 7,
  packets: 8,
  bytes: 9,
  start: 10,
  end: 11,
  action: 12,
  logStatus: 13,
  vpcId: 14,
  subnetId: 15,
  instanceId: 16,
  tcpFlags: 17,
  type: 18,
  pktSrcAddr: 19,
  pktDstAddr: 20,
  region: 21,
  azId: 22,
  flowDirection: 23,
  trafficPath: 24,
  pktSrcService: 25,
  pktDstService: 26,
} as const;

/** How many fields the decoder reads. */
export const FIELD_COUNT = 27;

/** Marks a token the decoder does not read (a field it ignores, or one it does not know). */
export const IGNORED = -1;

/** Every documented field name: the code it is read into (or IGNORED) and the format version that added it. */
const KNOWN: ReadonlyMap<string, readonly [code: number, version: number]> = new Map<string, readonly [number, number]>([
  ['version', [F.version, 2]],
  ['account-id', [F.account, 2]],
  ['interface-id', [F.interfaceId, 2]],
  ['srcaddr', [F.srcAddr, 2]],
  ['dstaddr', [F.dstAddr, 2]],
  ['srcport', [F.srcPort, 2]],
  ['dstport', [F.dstPort, 2]],
  ['protocol', [F.protocol, 2]],
  ['packets', [F.packets, 2]],
  ['bytes', [F.bytes, 2]],
  ['start', [F.start, 2]],
  ['end', [F.end, 2]],
  ['action', [F.action, 2]],
  ['log-status', [F.logStatus, 2]],
  ['vpc-id', [F.vpcId, 3]],
  ['subnet-id', [F.subnetId, 3]],
  ['instance-id', [F.instanceId, 3]],
  ['tcp-flags', [F.tcpFlags, 3]],
  ['type', [F.type, 3]],
  ['pkt-srcaddr', [F.pktSrcAddr, 3]],
  ['pkt-dstaddr', [F.pktDstAddr, 3]],
  ['region', [F.region, 4]],
  ['az-id', [F.azId, 4]],
  ['sublocation-type', [IGNORED, 4]],
  ['sublocation-id', [IGNORED, 4]],
  ['pkt-src-aws-service', [F.pktSrcService, 5]],
  ['pkt-dst-aws-service', [F.pktDstService, 5]],
  ['flow-direction', [F.flowDirection, 5]],
  ['traffic-path', [F.trafficPath, 5]],
  ['ecs-cluster-arn', [IGNORED, 7]],
  ['ecs-cluster-name', [IGNORED, 7]],
  ['ecs-container-instance-arn', [IGNORED, 7]],
  ['ecs-container-instance-id', [IGNORED, 7]],
  ['ecs-container-id', [IGNORED, 7]],
  ['ecs-second-container-id', [IGNORED, 7]],
  ['ecs-service-name', [IGNORED, 7]],
  ['ecs-task-definition-arn', [IGNORED, 7]],
  ['ecs-task-arn', [IGNORED, 7]],
  ['ecs-task-id', [IGNORED, 7]],
  ['reject-reason', [IGNORED, 8]],
]);

/** The default (version 2) format, assumed for lines that come without a header (CloudWatch exports). */
export const DEFAULT_FORMAT = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

const NAMES: readonly string[] = [...KNOWN].filter(([, [code]]) => code !== IGNORED).sort((a, b) => a[1][0] - b[1][0]).map(([name]) => name);

/** The documented name of a field the decoder reads, for problems. */
export function fieldName(code: number): string {
  return NAMES[code] ?? `field ${code}`;
}

/** True when `name` is a documented flow-log field. */
export function isFlowField(name: string): boolean {
  return KNOWN.has(name);
}

/** A header compiled for decoding. */
export interface FlowFormat {
  /** For each token position, the field it is read into, or IGNORED. */
  readonly codeAt: Int8Array;
  /** Tokens per record. */
  readonly width: number;
  /** Fields present, by code. */
  readonly has: Uint8Array;
  /** The version a format without a `version` field implies: the newest of its fields. */
  readonly impliedVersion: number;
  /** The format reads a field beyond the default ones, so its records carry the v3-v5 fields. */
  readonly extended: boolean;
  /** Required fields the format lacks (`start`, `end`): without them no record can be placed in time. */
  readonly missing: readonly string[];
}

/** Compiles a header's field names; unknown names are carried as ignored positions, not refused. */
export function compileFormat(names: readonly string[]): FlowFormat {
  const codeAt = new Int8Array(names.length);
  const has = new Uint8Array(FIELD_COUNT);
  let impliedVersion = 2;
  for (let i = 0; i < names.length; i++) {
    const known = KNOWN.get(names[i] ?? '');
    codeAt[i] = known ? known[0] : IGNORED;
    if (!known) continue;
    if (known[0] !== IGNORED) has[known[0]] = 1;
    if (known[1] > impliedVersion) impliedVersion = known[1];
  }
  const missing = [has[F.start] ? '' : 'start', has[F.end] ? '' : 'end'].filter((n) => n !== '');
  const extended = has.subarray(F.vpcId).includes(1);
  return { codeAt, width: names.length, has, impliedVersion, extended, missing };
}

/** Splits a line on runs of spaces; for headers and sniffing, never for records. */
export function spaceTokens(line: string): string[] {
  return line.split(' ').filter((t) => t !== '');
}
