/**
 * One web ACL's benign requests for one 5-minute window: visitors browsing the site at the daily
 * rhythm, about 1% of them blocked by the Core Rule Set's size limits (real false positives: a big
 * cart POST, a long query string).
 */
import { WeightedPicker, type Random } from '../random.js';
import { noisyCount, type Rhythm } from './rhythm.js';
import type { UriChoice, WebAcl } from './waf-acls.js';
import { ALLOWED, managedBlock, type WafRequest, type WafVerdict } from './waf-format.js';

const WINDOW_MS = 300_000;
const BLOCK_RATE = 0.01;
const BODY_TOO_BIG = managedBlock('AWSManagedRulesCommonRuleSet', 'SizeRestrictions_BODY', 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body');
const QUERY_TOO_LONG = managedBlock('AWSManagedRulesCommonRuleSet', 'SizeRestrictions_QUERYSTRING', 'awswaf:managed:aws:core-rule-set:SizeRestrictions_QueryString');

/** What one ACL's windows need. */
export interface WafWindow {
  readonly acl: WebAcl;
  readonly rng: Random;
  readonly rhythm: Rhythm;
  /** Multiplies the request rate; 1 for the demo. */
  readonly scale: number;
  readonly uris: WeightedPicker<UriChoice>;
}

/** The per-ACL state for `benignRequests`. */
export function wafWindow(acl: WebAcl, rng: Random, rhythm: Rhythm, scale: number): WafWindow {
  return { acl, rng, rhythm, scale, uris: new WeightedPicker(acl.uris.map((u) => [u, u.weight] as const)) };
}

/** The window's benign requests, in timestamp order. */
export function benignRequests(w: WafWindow, windowStart: number): WafRequest[] {
  const { rng, acl } = w;
  const n = noisyCount(rng, acl.peak * w.scale * w.rhythm.level(windowStart + WINDOW_MS / 2));
  const times = Array.from({ length: n }, () => windowStart + rng.int(WINDOW_MS)).sort((a, b) => a - b);
  return times.map((timestamp): WafRequest => {
    const client = acl.clients.pick(rng);
    const choice = w.uris.pick(rng);
    let args = choice.args(rng);
    let verdict: WafVerdict = ALLOWED;
    if (rng.chance(BLOCK_RATE)) {
      if (choice.method === 'POST') verdict = BODY_TOO_BIG;
      else {
        verdict = QUERY_TOO_LONG;
        args = `utm_source=newsletter&utm_campaign=${rng.hex(48)}&ref=${rng.hex(2100)}`;
      }
    }
    return { timestamp, clientIp: client.ip, country: client.country, userAgent: client.userAgent, method: choice.method, uri: choice.uri(rng), args, verdict };
  });
}
