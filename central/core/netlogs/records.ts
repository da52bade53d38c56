/**
 * Network log records as the statistics and IOC detectors read them: one VPC Flow Logs record, one
 * AWS WAF log record. Decoders (flow-log.ts, waf-log.ts) build them; nothing here reads a file.
 *
 * The account of a record is the account folder of the S3 key it was delivered under
 * (`AWSLogs/ACCOUNT/...`), which the delivering service writes; a record whose own account field
 * names another account is rejected by the decoder, as trail records are.
 */

/** Where a record came from, for problems and findings: the account and region of its delivery. */
export interface LogOrigin {
  /** The account that delivered the file (12 digits). */
  readonly account: string;
  /** The region of the delivery folder; `cloudfront` for WAF logs of CloudFront distributions. */
  readonly region: string;
}

/**
 * One VPC Flow Logs record. Fields of the default v2 format are always present (a `-` number is
 * undefined); v3-v5 fields are set when the file's format names them.
 */
export interface FlowRecord extends LogOrigin {
  readonly kind: 'flow';
  readonly version: number;
  readonly interfaceId?: string;
  readonly srcAddr?: string;
  readonly dstAddr?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP). */
  readonly protocol?: number;
  readonly packets?: number;
  readonly bytes?: number;
  /** Start and end of the capture window, seconds since the epoch. */
  readonly start: number;
  readonly end: number;
  /** ACCEPT or REJECT; undefined on NODATA/SKIPDATA records. */
  readonly action?: 'ACCEPT' | 'REJECT';
  readonly logStatus: 'OK' | 'NODATA' | 'SKIPDATA';
  // v3+
  readonly vpcId?: string;
  readonly subnetId?: string;
  readonly instanceId?: string;
  readonly tcpFlags?: number;
  readonly trafficType?: string;
  readonly pktSrcAddr?: string;
  readonly pktDstAddr?: string;
  // v4+
  readonly recordRegion?: string;
  readonly azId?: string;
  // v5+
  readonly flowDirection?: 'ingress' | 'egress';
  readonly trafficPath?: number;
  readonly pktSrcService?: string;
  readonly pktDstService?: string;
}

/** One AWS WAF log record, reduced to what detectors and IOC matching read. */
export interface WafRecord extends LogOrigin {
  readonly kind: 'waf';
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** The web ACL's ARN as logged. */
  readonly webAclId: string;
  /** The web ACL's name (from the ARN). */
  readonly webAcl: string;
  /** ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE. */
  readonly action: string;
  readonly terminatingRuleId: string;
  readonly terminatingRuleType?: string;
  readonly clientIp: string;
  /** ISO 3166 alpha-2, as WAF logs it; `-` when unknown. */
  readonly country?: string;
  readonly uri: string;
  readonly args?: string;
  readonly httpMethod?: string;
  readonly host?: string;
  readonly userAgent?: string;
  readonly labels: readonly string[];
  readonly requestId?: string;
}

/** Either network record. */
export type NetworkRecord = FlowRecord | WafRecord;

/** A record's time in seconds since the epoch: a flow's start, a WAF request's timestamp. */
export function recordSeconds(record: NetworkRecord): number {
  return record.kind === 'flow' ? record.start : Math.floor(record.timestamp / 1000);
}
