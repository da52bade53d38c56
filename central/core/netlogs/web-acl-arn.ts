/**
 * The account, region and name in a WAFv2 web ACL ARN, which every WAF log record carries: the
 * only place a Firehose-delivered or loose WAF log says whose it is.
 */

/** What a web ACL ARN says. */
export interface WebAclArn {
  readonly account: string;
  /** The ARN's region, or `cloudfront` for a global (CloudFront) web ACL. */
  readonly region: string;
  readonly name: string;
}

// CloudFront web ACLs live in us-east-1 and say `global/webacl`; their logs are filed as `cloudfront`.
const ARN = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):(\d{12}):(regional|global)\/webacl\/([^/]+)\/[^/]+$/;

/** Parses `arn:aws:wafv2:REGION:ACCOUNT:regional|global/webacl/NAME/ID`; undefined for anything else. */
export function parseWebAclArn(arn: string): WebAclArn | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  return { account: m[2]!, region: m[3] === 'global' ? 'cloudfront' : m[1]!, name: m[4]! };
}
