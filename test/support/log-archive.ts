/**
 * A small log archive on disk, laid out as the archive bucket's keys: gzipped VPC Flow Logs with
 * their header line, WAF JSON lines in minute folders, and one organization-trail file. Redacted
 * values only (documentation accounts and addresses).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The two member accounts with logs. */
export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';
/** The organization the trail belongs to. */
export const ORG = 'o-a1b2c3d4e5';

const FLOW_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** One v2 flow record as its text line. */
export interface FlowRecord {
  readonly account: string;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly action?: 'ACCEPT' | 'REJECT';
}

/** The text line of a flow record (protocol TCP, a 60-second capture window). */
export const flowLine = (r: FlowRecord): string =>
  `2 ${r.account} eni-0a1b2c3d4e5f60001 ${r.src} ${r.dst} ${r.srcPort} ${r.dstPort} 6 ${r.packets} ${r.bytes} ${r.start} ${r.start + 60} ${r.action ?? 'ACCEPT'} OK`;

/** A NODATA line: the interface saw no traffic, every field but the window is `-`. */
export const noDataLine = (account: string, start: number): string => `2 ${account} eni-0a1b2c3d4e5f60001 - - - - - - - ${start} ${start + 60} - NODATA`;

function write(root: string, key: string, bytes: string | Uint8Array): void {
  const path = join(root, ...key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** Writes one gzipped flow-log file for an account, region and day (`YYYY/MM/DD`). */
export function writeFlowLog(root: string, account: string, region: string, day: string, lines: readonly string[], name = 'fl-0a1b2c3d'): string {
  const stamp = day.replaceAll('/', '');
  const key = `AWSLogs/${account}/vpcflowlogs/${region}/${day}/${account}_vpcflowlogs_${region}_${name}_${stamp}T0000Z_${lines.length}.log.gz`;
  write(root, key, gzipSync([FLOW_HEADER, ...lines].join('\n') + '\n'));
  return key;
}

/** Writes one WAF log file (JSON lines, not compressed) under a web ACL's minute folder. */
export function writeWafLog(root: string, account: string, region: string, webacl: string, dayHourMinute: string, entries: readonly object[]): string {
  const key = `AWSLogs/${account}/WAFLogs/${region}/${webacl}/${dayHourMinute}/${account}_waflogs_${region}_${webacl}_${dayHourMinute.replaceAll('/', '')}_a1b2.log`;
  write(root, key, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return key;
}

/** Writes one gzipped organization-trail file (in `CloudTrail/`, or a sibling folder such as `CloudTrail-Digest`). */
export function writeTrail(root: string, account: string, region: string, day: string, records: readonly object[], folder = 'CloudTrail'): string {
  const key = `AWSLogs/${ORG}/${account}/${folder}/${region}/${day}/${account}_${folder}_${region}_${day.replaceAll('/', '')}T1200Z_a1b2c3.json.gz`;
  write(root, key, gzipSync(JSON.stringify({ Records: records })));
  return key;
}

/** A WAF log entry as AWS WAF writes it (camelCase keys). */
export function wafEntry(timestamp: number, clientIp: string, country: string, action: 'ALLOW' | 'BLOCK', uri: string, account = ACCOUNT_A): object {
  return {
    timestamp, formatVersion: 1, webaclId: `arn:aws:wafv2:us-east-1:${account}:regional/webacl/shop-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
    terminatingRuleId: action === 'BLOCK' ? 'AWS-AWSManagedRulesSQLiRuleSet' : 'Default_Action', terminatingRuleType: action === 'BLOCK' ? 'MANAGED_RULE_GROUP' : 'REGULAR',
    action, terminatingRuleMatchDetails: [], httpSourceName: 'ALB', httpSourceId: `${account}-app/shop/abc`, ruleGroupList: [], rateBasedRuleList: [], nonTerminatingMatchingRules: [],
    requestHeadersInserted: null, responseCodeSent: null,
    httpRequest: { clientIp, country, headers: [{ name: 'Host', value: 'shop.example.com' }], uri, args: '', httpVersion: 'HTTP/1.1', httpMethod: 'GET', requestId: `req-${timestamp}` },
    labels: action === 'BLOCK' ? [{ name: 'awswaf:managed:aws:sql-database:SQLi_QueryArguments' }] : [],
  };
}

/** A CloudTrail record (an IAM user's call). */
export function trailRecord(eventTime: string, eventName: string, user: string, sourceIp: string, account = ACCOUNT_A): object {
  return {
    eventVersion: '1.09', userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEPRINCIPAL1', arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: user },
    eventTime, eventSource: 'iam.amazonaws.com', eventName, awsRegion: 'us-east-1', sourceIPAddress: sourceIp, userAgent: 'aws-cli/2.15.0',
    requestParameters: { userName: 'mallory' }, responseElements: null, requestID: 'c0ffee00-0000-4000-8000-000000000001', eventID: `e-${eventTime}`,
    readOnly: false, resources: [{ ARN: `arn:aws:iam::${account}:user/mallory`, accountId: account, type: 'AWS::IAM::User' }], eventType: 'AwsApiCall',
    managementEvent: true, recipientAccountId: account, eventCategory: 'Management',
  };
}
