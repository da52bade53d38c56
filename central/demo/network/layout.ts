/**
 * S3 keys as VPC Flow Logs and AWS WAF deliver them. The random-looking suffix is derived from the
 * stream and the window only, so the same window always gets the same name whatever it holds: a run
 * with planted attacks and one without write the same set of files.
 */
import { hash32 } from '../random.js';
import { deliveryStamp } from '../time.js';

const hex8 = (label: string): string => hash32(label).toString(16).padStart(8, '0');

/** `AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/ACCOUNT_vpcflowlogs_REGION_FLOWLOGID_YYYYMMDDTHHmmZ_HASH.log.gz` */
export function flowLogKey(account: string, region: string, flowLogId: string, windowStart: number): string {
  const { yyyy, mm, dd, stamp } = deliveryStamp(windowStart);
  const hash = hex8(`${account}/${region}/${flowLogId}/${stamp}`);
  return `AWSLogs/${account}/vpcflowlogs/${region}/${yyyy}/${mm}/${dd}/${account}_vpcflowlogs_${region}_${flowLogId}_${stamp}_${hash}.log.gz`;
}

/**
 * `AWSLogs/ACCOUNT/WAFLogs/REGION/WEBACL/YYYY/MM/DD/HH/mm/ACCOUNT_waflogs_REGION_WEBACL_YYYYMMDDTHHmmZ_HASH.log.gz`;
 * `region` is `cloudfront` for a CloudFront web ACL.
 */
export function wafLogKey(account: string, region: string, webAcl: string, windowStart: number): string {
  const { yyyy, mm, dd, stamp } = deliveryStamp(windowStart);
  const hh = stamp.slice(9, 11);
  const min = stamp.slice(11, 13);
  const hash = hex8(`${account}/${region}/${webAcl}/${stamp}`);
  return `AWSLogs/${account}/WAFLogs/${region}/${webAcl}/${yyyy}/${mm}/${dd}/${hh}/${min}/${account}_waflogs_${region}_${webAcl}_${stamp}_${hash}.log.gz`;
}
