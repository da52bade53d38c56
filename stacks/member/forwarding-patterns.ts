/**
 * The EventBridge patterns member accounts use to forward events to the central bus, derived from the
 * rule set so the member sends only what a central rule can match ("filtered in the member").
 *
 * Read-only calls (Get*, List*, Describe*) may appear in the patterns (a rule keys on GetLoginProfile),
 * but EventBridge delivers them only to rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS;
 * with ENABLED they never arrive and the central account sees them through the organization trail.
 */
import type { CompiledRule, EventKey } from '../../central/core/rules/rule.js';

/** One EventBridge event pattern plus a stable short name for the rule that carries it. */
export interface ForwardingPattern {
  readonly name: string;
  readonly pattern: Record<string, unknown>;
}

/** EventBridge's default quota for the characters of one event pattern. */
export const DEFAULT_MAX_PATTERN_LENGTH = 2048;

const API_CALL = 'AWS API Call via CloudTrail';
/** Service events (SharedSnapshotCopyInitiated...) carry a CloudTrail record too, under their own detail-type. */
const CLOUDTRAIL_DETAIL_TYPES = [API_CALL, 'AWS Service Event via CloudTrail'];
const NOT_ON_BEHALF = { invokedBy: [{ exists: false }] };

/**
 * Rules that listen to every source and name say here what they really need. A catch-all would forward
 * every write in the organization; these keep to the fields the rule's match cannot do without.
 */
const NARROW_PATTERNS: Readonly<Record<string, ForwardingPattern>> = {
  'root-account-usage': { name: 'root-activity', pattern: { 'detail-type': [API_CALL], detail: { userIdentity: { type: ['Root'], ...NOT_ON_BEHALF } } } },
  // The two denial rules share one pattern; wildcards because vpc-endpoint-access-denied looks for
  // AccessDenied anywhere in the code (Client.UnauthorizedOperation, VpceAccessDenied...).
  'access-denied-burst': { name: 'access-denied', pattern: accessDenied() },
  'vpc-endpoint-access-denied': { name: 'access-denied', pattern: accessDenied() },
  // Read-only: only live with ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (see above). An instance
  // profile session is named after the instance, and principalId ends with ":<session name>".
  'ec2-instance-credentials-discovery-burst': {
    name: 'instance-credential-reads',
    pattern: { 'detail-type': [API_CALL], detail: { readOnly: [true], userIdentity: { type: ['AssumedRole'], principalId: [{ wildcard: '*:i-*' }], ...NOT_ON_BEHALF } } },
  },
};

/**
 * Rules over every event that are not forwarded at all: behaviour baselines learn from every call,
 * and forwarding every call in the organization would double the trail. The central detector reads
 * them from the organization trail's files (the trail path), where every event arrives anyway; the
 * intake counts an event once whichever path brings it.
 */
export const FROM_TRAIL_ONLY: ReadonlySet<string> = new Set([
  'behaviour-new-region-for-principal',
  'behaviour-new-region-for-account',
  'behaviour-principal-new-network',
  'behaviour-access-key-new-network',
]);

/**
 * Non-CloudTrail inputs the central account always wants, whatever the rules. GuardDuty findings and
 * Config changes only about `account` itself: a GuardDuty administrator's bus also carries the findings
 * of the accounts it administers, and the central account refuses an event one account sends about
 * another. Each account forwards its own.
 */
function fixedPatterns(account: string): ForwardingPattern[] {
  return [
    { name: 'console-sign-in', pattern: { 'detail-type': ['AWS Console Sign In via CloudTrail'] } },
    { name: 'guardduty', pattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { accountId: [account] } } },
    { name: 'config-compliance', pattern: { source: ['aws.config'], 'detail-type': ['Config Rules Compliance Change'], detail: { awsAccountId: [account] } } },
  ];
}

function accessDenied(): Record<string, unknown> {
  const errorCode = [{ wildcard: '*AccessDenied*' }, { wildcard: '*UnauthorizedOperation*' }, { prefix: 'Unauthorized' }, 'AuthorizationError'];
  return { 'detail-type': [API_CALL], detail: { errorCode, userIdentity: NOT_ON_BEHALF } };
}

/** What the patterns depend on besides the rules. */
export interface ForwardingPatternOptions {
  /** The account whose default bus the rules are on (`Aws.ACCOUNT_ID` in a stack, a literal in tests and simulations). */
  readonly account: string;
  /** The longest pattern allowed, in characters. @default DEFAULT_MAX_PATTERN_LENGTH */
  readonly maxLength?: number;
}

/** Patterns that together forward every event a rule can match about the account, each under the size limit. */
export function forwardingPatterns(rules: readonly Pick<CompiledRule, 'id' | 'keys'>[], options: ForwardingPatternOptions): ForwardingPattern[] {
  const maxLength = options.maxLength ?? DEFAULT_MAX_PATTERN_LENGTH;
  const narrow = new Map<string, ForwardingPattern>();
  const anySource = new Set<string>();
  const anyName = new Set<string>();
  const pairs: EventKey[] = [];
  for (const rule of rules) {
    for (const key of rule.keys) {
      if (key.source === '*' && key.name === '*') {
        if (FROM_TRAIL_ONLY.has(rule.id)) continue;
        const p = NARROW_PATTERNS[rule.id];
        if (!p) throw new Error(`rule ${rule.id} listens to every event; give it a narrow pattern in NARROW_PATTERNS (stacks/member/forwarding-patterns.ts)`);
        narrow.set(p.name, p);
      } else if (key.source === '*') anySource.add(key.name);
      else if (key.name === '*') anyName.add(key.source);
      // GuardDuty rules key on finding types, which arrive as "GuardDuty Finding" events, not API calls.
      else if (!isGuardDutyFindingType(key)) pairs.push(key);
    }
  }
  const bySource = new Map<string, Set<string>>();
  for (const { source, name } of pairs) {
    if (anyName.has(source) || anySource.has(name)) continue;
    let names = bySource.get(source);
    if (!names) bySource.set(source, (names = new Set()));
    names.add(name);
  }
  const derived = [
    ...numbered('cloudtrail', packBySource(bySource, maxLength)),
    ...numbered('cloudtrail-any-name', packList([...anyName], (eventSource) => cloudTrail({ eventSource }), maxLength)),
    ...numbered('cloudtrail-any-source', packList([...anySource], (eventName) => cloudTrail({ eventName }), maxLength)),
  ];
  const all = [...derived, ...narrow.values(), ...fixedPatterns(options.account)];
  for (const p of all) if (patternLength(p.pattern) > maxLength) throw new Error(`pattern ${p.name} is ${patternLength(p.pattern)} characters, over ${maxLength}`);
  return all.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** The characters EventBridge counts for a pattern sent as compact JSON. */
export function patternLength(pattern: Record<string, unknown>): number {
  return JSON.stringify(pattern).length;
}

function isGuardDutyFindingType(key: EventKey): boolean {
  return key.source === 'guardduty.amazonaws.com' && key.name.includes(':');
}

function cloudTrail(detail: Record<string, string[]>): Record<string, unknown> {
  return { 'detail-type': CLOUDTRAIL_DETAIL_TYPES, detail };
}

function numbered(prefix: string, patterns: Record<string, unknown>[]): ForwardingPattern[] {
  return patterns.map((pattern, i) => ({ name: `${prefix}-${i + 1}`, pattern }));
}

/**
 * Sources with their names, packed in source order. Sources and names in one pattern form a cross
 * product, so a source's names are kept together where they fit: the extra pairs are mostly names one
 * service has and the others lack. A source too big for one pattern is split by name.
 */
function packBySource(bySource: ReadonlyMap<string, ReadonlySet<string>>, maxLength: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const build = (group: ReadonlyMap<string, readonly string[]>) =>
    cloudTrail({ eventSource: [...group.keys()].sort(), eventName: [...new Set([...group.values()].flat())].sort() });
  const fits = (group: ReadonlyMap<string, readonly string[]>) => patternLength(build(group)) <= maxLength;
  let current = new Map<string, string[]>();
  for (const source of [...bySource.keys()].sort()) {
    const names = [...bySource.get(source)!].sort();
    const whole = new Map(current).set(source, names);
    if (fits(whole)) {
      current = whole;
      continue;
    }
    if (current.size > 0) out.push(build(current));
    current = new Map();
    for (const name of names) {
      const next = new Map(current).set(source, [...(current.get(source) ?? []), name]);
      if (fits(next)) current = next;
      else if (current.size === 0) throw new Error(`${source} ${name} alone does not fit in ${maxLength} characters`);
      else {
        out.push(build(current));
        current = new Map([[source, [name]]]);
      }
    }
  }
  if (current.size > 0) out.push(build(current));
  return out;
}

/** Sorted values packed into as few patterns as the length allows. */
function packList(values: readonly string[], build: (values: string[]) => Record<string, unknown>, maxLength: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let current: string[] = [];
  for (const value of [...values].sort()) {
    if (patternLength(build([...current, value])) <= maxLength) current.push(value);
    else if (current.length === 0) throw new Error(`${value} alone does not fit in ${maxLength} characters`);
    else {
      out.push(build(current));
      current = [value];
    }
  }
  if (current.length > 0) out.push(build(current));
  return out;
}
