/**
 * AWS WAF log records (format version 1), one JSON object per line. Lines are joined from pieces
 * rather than JSON.stringify'd objects: the fixed parts of an ACL's records are serialized once, and
 * only the request's own values are escaped per line.
 */
import type { Random } from '../random.js';
import type { WebAcl } from './waf-acls.js';

/** How WAF decided a request: the terminating rule and the lists that explain it. */
export interface WafVerdict {
  readonly ruleId: string;
  readonly ruleType: 'REGULAR' | 'RATE_BASED' | 'MANAGED_RULE_GROUP';
  readonly action: 'ALLOW' | 'BLOCK';
  /** Already-serialized JSON arrays. */
  readonly ruleGroupList: string;
  readonly rateBasedRuleList: string;
  readonly labels: string;
}

/** One request as WAF saw it. */
export interface WafRequest {
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly clientIp: string;
  readonly country: string;
  readonly userAgent: string;
  readonly method: string;
  readonly uri: string;
  readonly args: string;
  readonly verdict: WafVerdict;
}

/** The default action: allowed, no rule matched. */
export const ALLOWED: WafVerdict = { ruleId: 'Default_Action', ruleType: 'REGULAR', action: 'ALLOW', ruleGroupList: '[]', rateBasedRuleList: '[]', labels: '[]' };

/** A block by one rule of an AWS managed rule group, with the label the rule adds. */
export function managedBlock(group: string, rule: string, label: string): WafVerdict {
  const ruleGroupList = JSON.stringify([{ ruleGroupId: `AWS#${group}`, terminatingRule: { ruleId: rule, action: 'BLOCK', ruleMatchDetails: null }, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null }]);
  return { ruleId: `AWS-${group}`, ruleType: 'MANAGED_RULE_GROUP', action: 'BLOCK', ruleGroupList, rateBasedRuleList: '[]', labels: JSON.stringify([{ name: label }]) };
}

/** A block by a rate-based rule keyed on the client address. */
export function rateBlock(rule: { readonly name: string; readonly limit: number }, ruleId: string): WafVerdict {
  const rateBasedRuleList = JSON.stringify([{ rateBasedRuleId: ruleId, rateBasedRuleName: rule.name, limitKey: 'IP', maxRateAllowed: rule.limit, evaluationWindowSec: '300', customValues: [] }]);
  return { ruleId: rule.name, ruleType: 'RATE_BASED', action: 'BLOCK', ruleGroupList: '[]', rateBasedRuleList, labels: '[]' };
}

/** Turns requests into log lines for one web ACL. */
export interface WafFormatter {
  line(request: WafRequest, rng: Random): string;
}

/** The formatter for one ACL; `rng` only draws request ids. */
export function wafFormatter(acl: WebAcl): WafFormatter {
  const head = `,"formatVersion":1,"webaclId":${JSON.stringify(acl.arn)},"terminatingRuleId":`;
  const source = `,"terminatingRuleMatchDetails":[],"httpSourceName":"${acl.sourceName}","httpSourceId":${JSON.stringify(acl.sourceId)},"ruleGroupList":`;
  const host = `[{"name":"Host","value":${JSON.stringify(acl.host)}},{"name":"User-Agent","value":`;
  const cloudfront = acl.sourceName === 'CF';
  const agents = new Map<string, string>();
  const quoted = (agent: string) => {
    let q = agents.get(agent);
    if (q === undefined) agents.set(agent, (q = JSON.stringify(agent)));
    return q;
  };
  return {
    line(q, rng) {
      const v = q.verdict;
      // ALB request ids are X-Amzn-Trace-Id values; CloudFront's are its base64 request ids.
      const requestId = cloudfront ? `${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 54)}==` : `1-${Math.floor(q.timestamp / 1000).toString(16)}-${rng.hex(24)}`;
      const headers = `${host}${quoted(q.userAgent)}},{"name":"Accept","value":"${q.method === 'POST' ? 'application/json' : '*/*'}"}]`;
      return (
        `{"timestamp":${q.timestamp}${head}"${v.ruleId}","terminatingRuleType":"${v.ruleType}","action":"${v.action}"${source}${v.ruleGroupList},"rateBasedRuleList":${v.rateBasedRuleList}` +
        `,"nonTerminatingMatchingRules":[],"requestHeadersInserted":null,"responseCodeSent":null,"httpRequest":{"clientIp":"${q.clientIp}","country":"${q.country}","headers":${headers}` +
        `,"uri":${JSON.stringify(q.uri)},"args":${JSON.stringify(q.args)},"httpVersion":"${cloudfront ? 'HTTP/2.0' : 'HTTP/1.1'}","httpMethod":"${q.method}","requestId":"${requestId}"},"labels":${v.labels}}`
      );
    },
  };
}
