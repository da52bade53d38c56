/**
 * Turns what the detector saw into observations: a rule hit that became a finding, a GuardDuty or
 * Config signal, an object-scan finding. Field names are the normalized ones correlation rules group
 * by (docs/correlation.md); a rule may also name a raw record path (`raw.requestParameters.bucketName`),
 * which is read here, once, because observations do not keep the raw record.
 */
import { guardDutySeverity } from '../delivery/notice.js';
import type { SecurityEvent } from '../event.js';
import { compilePath, type PathReader } from '../rules/path.js';
import { compileCidrs, parseIPv4, parseIPv6 } from '../net/cidr.js';
import { SEVERITY_LABELS, severityRank, type SeverityLabel } from '../rules/schema.js';
import type { Observation } from './observation.js';

/**
 * Addresses that are not a caller's own on the internet: private, shared, loopback and link-local
 * ranges (VPC endpoints and NAT gateways show these), and the documentation ranges are NOT here,
 * since tests and the demo use them as public addresses.
 */
const NOT_REMOTE = compileCidrs(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10']);

/**
 * Names by severity floor: an observation at HIGH is also `min-severity:LOW`, `:MEDIUM`, `:HIGH`, so
 * a correlation rule can take "every finding of MEDIUM or more" with `rules: [min-severity:MEDIUM]`.
 */
function severityNames(severity: SeverityLabel): string[] {
  return SEVERITY_LABELS.filter((l) => severityRank(l) <= severityRank(severity)).map((l) => `min-severity:${l}`);
}

/** The caller's address when it is an internet address: not a service name, not a private range. */
function remoteIp(ip: string | undefined): string | undefined {
  if (!ip || (parseIPv4(ip) === undefined && parseIPv6(ip) === undefined)) return undefined;
  return NOT_REMOTE.has(ip) ? undefined : ip;
}

/** The base finding an observation stands for. */
export interface BaseFinding {
  readonly productArn: string;
  readonly id: string;
}

/** What the detector knows about one rule hit. */
export interface HitFacts {
  readonly ruleId: string;
  /** Other names of the rule (a Sigma rule's id and name). */
  readonly aliases?: readonly string[];
  readonly mitre: readonly string[];
  /** ASFF types: the tactic is read from `TTPs/<Tactic>/...` and `Effects/...`. */
  readonly types: readonly string[];
  readonly severity: SeverityLabel;
  /** The base finding in Security Hub; absent for a rule over a signal Security Hub has no Id for. */
  readonly finding?: BaseFinding;
  /** A safe one-line title (the rendered finding title). */
  readonly title: string;
}

/** Observes one event as seen by one rule. `rawPaths` are the raw fields correlation rules read. */
export function observeHit(event: SecurityEvent, hit: HitFacts, rawPaths: readonly string[] = []): Observation {
  const techniques = withParents(hit.mitre);
  const tactics = tacticsOf(hit.types);
  return {
    id: `${event.id}#${hit.ruleId}`,
    eventId: event.id,
    time: event.time,
    account: event.account,
    region: event.region,
    label: hit.ruleId,
    names: [hit.ruleId, ...(hit.aliases ?? []), ...techniques.map((t) => `technique:${t}`), ...tactics.map((t) => `tactic:${t}`), ...severityNames(hit.severity)],
    severity: hit.severity,
    ...(hit.finding && { finding: hit.finding }),
    fields: fieldsOf(event, { rule: hit.ruleId, severity: hit.severity, declared: hit.mitre, tactics }, rawPaths),
    summary: clip(hit.title, 200),
  };
}

/**
 * Observes a GuardDuty finding or Config compliance change. `finding` is the rule finding that
 * restated it, when one did; a signal is never imported into Security Hub by Skywatch otherwise.
 */
export function observeSignal(event: SecurityEvent, rawPaths: readonly string[] = [], finding?: BaseFinding): Observation | undefined {
  const label = signalLabel(event);
  if (!label) return undefined;
  const severity = signalSeverity(event);
  return {
    id: `${event.id}#${label}`,
    eventId: event.id,
    time: event.time,
    account: event.account,
    region: event.region,
    label,
    names: [label, event.kind, ...severityNames(severity)],
    severity,
    ...(finding && { finding }),
    fields: fieldsOf(event, { rule: label, severity, declared: [], tactics: [] }, rawPaths),
    summary: clip(signalSummary(event, label), 200),
  };
}

/** `guardduty:<finding type>`, `config:<config rule>:<compliance>`, or undefined for other kinds. */
export function signalLabel(event: SecurityEvent): string | undefined {
  if (event.kind === 'guardduty') return `guardduty:${event.name}`;
  if (event.kind === 'config') {
    const detail = event.raw as Record<string, any>;
    const rule = typeof detail.configRuleName === 'string' ? detail.configRuleName : 'unknown-rule';
    const compliance = detail.newEvaluationResult?.complianceType;
    return `config:${rule}:${typeof compliance === 'string' ? compliance : 'UNKNOWN'}`;
  }
  return undefined;
}

function signalSeverity(event: SecurityEvent): SeverityLabel {
  if (event.kind === 'guardduty') return guardDutySeverity((event.raw as Record<string, unknown>).severity) ?? 'MEDIUM';
  const compliance = (event.raw as Record<string, any>).newEvaluationResult?.complianceType;
  return compliance === 'NON_COMPLIANT' ? 'MEDIUM' : 'INFORMATIONAL';
}

function signalSummary(event: SecurityEvent, label: string): string {
  if (event.kind === 'guardduty') {
    const title = (event.raw as Record<string, unknown>).title;
    return `GuardDuty ${event.name}${typeof title === 'string' ? `: ${title}` : ''}`;
  }
  const resource = event.resources[0]?.id;
  return `Config ${label.slice('config:'.length)}${resource ? ` for ${resource}` : ''}`;
}

interface Derived {
  readonly rule: string;
  readonly severity: SeverityLabel;
  /** The techniques the rule declares (names add their parents; fields keep them apart). */
  readonly declared: readonly string[];
  readonly tactics: readonly string[];
}

/** The normalized fields of an event, each a list (empty lists left out). */
export function fieldsOf(event: SecurityEvent, derived: Derived, rawPaths: readonly string[]): Record<string, string[]> {
  const { actor } = event;
  const fields: Record<string, string[]> = {};
  const put = (name: string, values: ReadonlyArray<string | undefined>) => {
    const present = [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
    if (present.length) fields[name] = present;
  };
  put('account', [event.account]);
  put('region', [event.region]);
  put('eventSource', [event.source]);
  put('eventName', [event.name]);
  put('actor.type', [actor.type]);
  put('actor.arn', [actor.arn]);
  put('actor.principalId', [actor.principalId]);
  put('actor.accessKeyId', [actor.accessKeyId]);
  put('actor.name', [actor.name]);
  put('actor.roleArn', [actor.roleArn]);
  put('actor.accountId', [actor.accountId]);
  put('actor.sessionName', [actor.sessionName]);
  put('sourceIp', [event.sourceIp]);
  put('remoteIp', [remoteIp(event.sourceIp)]);
  put('userAgent', [event.userAgent]);
  put('userAgentFamily', [event.userAgentFamily]);
  put('errorCode', [event.errorCode]);
  put('resource.id', event.resources.map((r) => r.id));
  put('resource.type', event.resources.map((r) => r.type));
  // As the rule declares them; `mitre.parentTechnique` folds sub-techniques into their technique, so a
  // rule grouping by it gives one finding for T1562.001 and T1562.008 together.
  put('mitre.technique', [...derived.declared]);
  put('mitre.parentTechnique', derived.declared.map((t) => t.split('.')[0]!));
  put('mitre.tactic', [...derived.tactics]);
  put('rule', [derived.rule]);
  put('severity', [derived.severity]);
  for (const path of rawPaths) {
    if (!path.startsWith('raw.')) continue;
    put(path, readerOf(path)(event).map(scalar));
  }
  return fields;
}

const readers = new Map<string, PathReader>();

/** Raw paths come from the loaded correlation rules: few, compiled once. */
function readerOf(path: string): PathReader {
  let reader = readers.get(path);
  if (!reader) readers.set(path, (reader = compilePath(path)));
  return reader;
}

/** A technique and its parent (`T1078.004` also counts as `T1078`), so rules can group either way. */
function withParents(techniques: readonly string[]): string[] {
  return [...new Set(techniques.flatMap((t) => (t.includes('.') ? [t, t.split('.')[0]!] : [t])))];
}

/** Tactics named by ASFF types, kebab-case: `TTPs/Privilege Escalation/...` -> `privilege-escalation`. */
export function tacticsOf(types: readonly string[]): string[] {
  const tactics = types.map((type) => {
    const [namespace, category] = type.split('/');
    if (namespace === 'Effects') return 'impact';
    if (namespace !== 'TTPs' || !category) return undefined;
    return category.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-');
  });
  return [...new Set(tactics.filter((t): t is string => !!t))];
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
