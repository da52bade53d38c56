/** What generateNetworkLogs reports: the streams it wrote, how much, and the attacks it planted. */
import type { PlantedNetworkAttack } from './attack-plan.js';
import type { FlowFormat } from './topology.js';

/** One flow log as written. */
export interface WrittenFlowLog {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly flowLogId: string;
  readonly format: FlowFormat;
  readonly vpcId: string;
  readonly files: number;
  readonly records: number;
}

/** One web ACL's logs as written. */
export interface WrittenWebAcl {
  readonly accountId: string;
  readonly accountName: string;
  /** The region folder (`cloudfront` for a CloudFront web ACL). */
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly files: number;
  readonly records: number;
}

/** What was written. */
export interface NetworkLogSummary {
  readonly root: string;
  /** ISO start and end of the whole period, attack day included. */
  readonly start: string;
  readonly end: string;
  readonly trainingDays: number;
  /** The day the attacks are planted on (it carries benign traffic too). */
  readonly attackDay: { readonly index: number; readonly start: string; readonly end: string };
  readonly flowLogs: readonly WrittenFlowLog[];
  readonly webAcls: readonly WrittenWebAcl[];
  readonly files: number;
  readonly flowRecords: number;
  readonly wafRecords: number;
  /** Uncompressed bytes written. */
  readonly bytes: number;
  /** Empty when `attacks` is false. */
  readonly planted: readonly PlantedNetworkAttack[];
  /** Every file written, as full paths (for the caller's stale-file sweep). */
  readonly paths: readonly string[];
}
