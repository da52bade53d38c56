/**
 * What a human is told: one shape for Skywatch findings, coverage gaps, GuardDuty findings and Config
 * compliance changes, so the policy and the messages never care where a notice came from. Links point
 * at the console that holds the record: Security Hub in the home region for our own findings (the
 * delegated administrator sees every account there), GuardDuty and Config where they live.
 */
import { CORRELATION_EVENT_KIND } from '../correlation/finding.js';
import { investigateCommandLine } from '../query/investigate.js';
import type { SecurityEvent } from '../event.js';
import { obj, str } from '../decode/fields.js';
import type { AsffFinding } from '../findings/asff.js';
import { SEVERITY_LABELS, type SeverityLabel } from '../rules/schema.js';
import type { AccountDirectory } from '../suppressions/match.js';

/** Who raised what a notice is about (`correlation`: a Skywatch finding joining events across accounts). */
export type NoticeSource = 'skywatch' | 'guardduty' | 'config' | 'coverage' | 'correlation';

/**
 * Where the record stands: only `active` pages (and an `archived` coverage gap, as its resolution).
 * `not-notable` is a Config result that is fine (COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA).
 */
export type NoticeStatus = 'active' | 'staged' | 'suppressed' | 'archived' | 'not-notable';

/** One thing worth telling a human about. */
export interface Notice {
  /** The cooldown key: the finding Id, the GuardDuty finding id, or the Config rule and resource. */
  readonly id: string;
  /** Orders versions of the same notice: UpdatedAt, GuardDuty's updatedAt, Config's notification time. */
  readonly version: string;
  readonly source: NoticeSource;
  readonly status: NoticeStatus;
  readonly severity: SeverityLabel;
  readonly title: string;
  /** A few sentences at most. */
  readonly description: string;
  readonly account: string;
  readonly accountName?: string;
  readonly region: string;
  /**
   * A correlation finding's accounts, sorted by id, named where the directory knows them. `account`
   * and `region` are then where the finding lives (the central account, home region), not where
   * anything happened.
   */
  readonly accounts?: ReadonlyArray<{ readonly id: string; readonly name?: string }>;
  /** Accounts the finding counts beyond those `accounts` lists (its product field holds about 150). */
  readonly moreAccounts?: number;
  /** A correlation finding's window, RFC 3339. */
  readonly window?: { readonly start: string; readonly end: string };
  /** Who acted: a principal ARN or user name. */
  readonly actor?: string;
  readonly sourceIp?: string;
  /** The investigation a finding names (`skywatch/Investigate`), as the command that runs it. */
  readonly investigate?: string;
  /** The Skywatch rule id, the GuardDuty finding type, or the Config rule name. */
  readonly rule: string;
  /** When the activity was last seen. */
  readonly observedAt: string;
  /** How many events the finding counts, when it counts them. */
  readonly eventCount?: number;
  /** Resources involved (ARNs or ids), the first few. */
  readonly resources: readonly string[];
  /** The record in its console. */
  readonly link: { readonly url: string; readonly label: string };
  readonly remediation?: { readonly text: string; readonly url?: string };
}

/** Thrown when a finding or signal lacks what a notice needs; the caller logs it and moves on. */
export class UnreadableNoticeError extends Error {
  override readonly name = 'UnreadableNoticeError';
}

const DESCRIPTION_MAX = 1024;
const RESOURCES_MAX = 5;

/**
 * The notice of a Skywatch finding (a coverage finding when its GeneratorId says so). `homeRegion`
 * is where the Security Hub link points; without it, the finding's own region.
 */
export function noticeOfFinding(finding: AsffFinding, names: AccountDirectory | undefined, homeRegion = finding.Region): Notice {
  const fields = finding.ProductFields ?? {};
  const severity = finding.Severity?.Label;
  if (!finding.Id || !finding.UpdatedAt || !finding.AwsAccountId || !finding.Region || !isLabel(severity)) {
    throw new UnreadableNoticeError('finding lacks Id, UpdatedAt, AwsAccountId, Region or a severity label');
  }
  const correlation = fields['skywatch/EventKind'] === CORRELATION_EVENT_KIND;
  const count = Number(fields[correlation ? 'skywatch/ObservationCount' : 'skywatch/EventCount']);
  const recommendation = finding.Remediation?.Recommendation;
  return {
    id: finding.Id,
    version: finding.UpdatedAt,
    source: finding.GeneratorId?.startsWith('skywatch/coverage/') ? 'coverage' : correlation ? 'correlation' : 'skywatch',
    status: finding.RecordState === 'ARCHIVED' ? 'archived' : fields['skywatch/SuppressedBy'] ? 'suppressed' : fields['skywatch/Status'] === 'staged' ? 'staged' : 'active',
    severity,
    title: finding.Title || rule(finding),
    description: clip(finding.Description ?? '', DESCRIPTION_MAX),
    ...account(finding.AwsAccountId, names),
    region: finding.Region,
    ...(correlation && correlationParts(fields, names)),
    ...(fields['skywatch/ActorArn'] && { actor: fields['skywatch/ActorArn'] }),
    ...(fields['skywatch/SourceIp'] && { sourceIp: fields['skywatch/SourceIp'] }),
    ...(fields['skywatch/Investigate'] && { investigate: investigateCommandLine(fields['skywatch/Investigate']) }),
    rule: rule(finding),
    observedAt: finding.LastObservedAt ?? finding.UpdatedAt,
    ...(Number.isInteger(count) && count > 0 && { eventCount: count }),
    resources: (finding.Resources ?? []).slice(0, RESOURCES_MAX).map((r) => r.Id),
    link: findingLink(finding, homeRegion),
    ...(recommendation?.Text && { remediation: { text: recommendation.Text, ...(recommendation.Url && { url: recommendation.Url }) } }),
  };
}

/** The accounts and window a correlation finding names in its product fields. */
function correlationParts(fields: Readonly<Record<string, string>>, names: AccountDirectory | undefined): Pick<Notice, 'accounts' | 'moreAccounts' | 'window'> {
  const ids = (fields['skywatch/Accounts'] ?? '').split(',').filter((id) => id !== '');
  const counted = Number(fields['skywatch/AccountCount']);
  const more = Number.isInteger(counted) && counted > ids.length ? counted - ids.length : 0;
  const [start, end] = (fields['skywatch/Window'] ?? '').split('/');
  return {
    accounts: ids.map((id) => {
      const name = names?.describe(id)?.name;
      return name ? { id, name } : { id };
    }),
    ...(more > 0 && { moreAccounts: more }),
    ...(start && end && { window: { start, end } }),
  };
}

/**
 * Where a finding is read. A rule's finding over a GuardDuty or Config signal is never imported into
 * Security Hub (the signal already is), so it links to the signal's own console instead.
 */
function findingLink(finding: AsffFinding, homeRegion: string): Notice['link'] {
  const kind = finding.ProductFields?.['skywatch/EventKind'];
  if (kind === 'guardduty') {
    const id = (finding.Resources ?? []).map((r) => /:detector\/[^/]+\/finding\/([^/]+)$/.exec(r.Id)?.[1]).find((x) => x !== undefined);
    return { url: id ? guardDutyFindingUrl(finding.Region, id) : `${consoleOrigin(finding.Region)}/guardduty/home?region=${finding.Region}#/findings?macros=current`, label: 'Open in GuardDuty' };
  }
  if (kind === 'config') return { url: `${consoleOrigin(finding.Region)}/config/home?region=${finding.Region}#/rules`, label: 'Open AWS Config rules' };
  return { url: securityHubFindingUrl(homeRegion, finding.Id), label: 'Open in Security Hub' };
}

/** The notice of a signal: a GuardDuty finding or a Config compliance change. */
export function noticeOfSignal(event: SecurityEvent, names: AccountDirectory | undefined): Notice {
  if (event.kind === 'guardduty') return guardDutyNotice(event, names);
  if (event.kind === 'config') return configNotice(event, names);
  throw new UnreadableNoticeError(`a ${event.kind} event is not a signal`);
}

function guardDutyNotice(event: SecurityEvent, names: AccountDirectory | undefined): Notice {
  const finding = event.raw;
  const id = str(finding.id);
  const severity = guardDutySeverity(finding.severity);
  if (!id || !severity) throw new UnreadableNoticeError('GuardDuty finding lacks an id or a numeric severity');
  const service = obj(finding.service);
  const actor = event.actor.type === 'AWSService' ? undefined : (event.actor.arn ?? event.actor.name ?? event.actor.principalId);
  return {
    id,
    version: str(finding.updatedAt) ?? event.time,
    source: 'guardduty',
    status: service?.archived === true ? 'archived' : 'active',
    severity,
    title: str(finding.title) ?? event.name,
    description: clip(str(finding.description) ?? str(finding.title) ?? event.name, DESCRIPTION_MAX),
    ...account(event.account, names),
    region: event.region,
    ...(actor && { actor: event.actor.type === 'Unknown' ? actor : `${actor} (${event.actor.type})` }),
    ...(event.sourceIp && { sourceIp: event.sourceIp }),
    rule: event.name,
    observedAt: str(service?.eventLastSeen) ?? event.time,
    ...(typeof service?.count === 'number' && service.count > 0 && { eventCount: service.count }),
    resources: event.resources.slice(0, RESOURCES_MAX).map((r) => r.id),
    link: { url: guardDutyFindingUrl(event.region, id), label: 'Open in GuardDuty' },
  };
}

function configNotice(event: SecurityEvent, names: AccountDirectory | undefined): Notice {
  const detail = event.raw;
  const rule = str(detail.configRuleName);
  const now = str(obj(detail.newEvaluationResult)?.complianceType);
  if (!rule || !now) throw new UnreadableNoticeError('Config compliance change lacks a rule name or a new compliance type');
  const before = str(obj(detail.oldEvaluationResult)?.complianceType);
  const type = str(detail.resourceType) ?? 'resource';
  const resource = str(detail.resourceId) ?? '(unnamed)';
  const annotation = str(obj(detail.newEvaluationResult)?.annotation);
  const description = `AWS Config evaluated ${type} ${resource} as ${now} with rule ${rule}${before ? ` (was ${before})` : ''}.${annotation ? ` ${annotation}` : ''}`;
  return {
    id: `config/${event.account}/${event.region}/${rule}/${type}/${resource}`,
    version: event.time,
    source: 'config',
    // Security Hub rates AWS Config's own NON_COMPLIANT findings MEDIUM; a result that is fine pages nobody.
    status: now === 'NON_COMPLIANT' ? 'active' : 'not-notable',
    severity: now === 'NON_COMPLIANT' ? 'MEDIUM' : 'INFORMATIONAL',
    // Rule first: when a subject line has to be clipped, the resource goes before the rule does.
    title: `${now} with ${rule}: ${type} ${resource}`,
    description: clip(description, DESCRIPTION_MAX),
    ...account(event.account, names),
    region: event.region,
    rule,
    observedAt: event.time,
    resources: event.resources.slice(0, RESOURCES_MAX).map((r) => r.id),
    link: { url: configRuleUrl(event.region, rule), label: 'Open the Config rule' },
  };
}

/**
 * GuardDuty's documented bands: 1.0-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0-10.0 CRITICAL (attack
 * sequences). Below 1.0 is reserved; it reads as INFORMATIONAL rather than being dropped.
 */
export function guardDutySeverity(value: unknown): SeverityLabel | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n >= 9) return 'CRITICAL';
  if (n >= 7) return 'HIGH';
  if (n >= 4) return 'MEDIUM';
  if (n >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

/** A Security Hub console link that opens one finding (the console wants the Id encoded twice). */
export function securityHubFindingUrl(region: string, findingId: string): string {
  const filter = `Id%3D%255Coperator%255C%253AEQUALS%255C%253A${encodeURIComponent(encodeURIComponent(findingId))}`;
  return `${consoleOrigin(region)}/securityhub/home?region=${region}#/findings?search=${filter}`;
}

/** The GuardDuty console link GuardDuty itself writes into a finding's SourceUrl. */
export function guardDutyFindingUrl(region: string, findingId: string): string {
  return `${consoleOrigin(region)}/guardduty/home?region=${region}#/findings?macros=current&fId=${encodeURIComponent(findingId)}`;
}

/** The AWS Config console page of a rule. */
export function configRuleUrl(region: string, ruleName: string): string {
  return `${consoleOrigin(region)}/config/home?region=${region}#/rules/details?configRuleName=${encodeURIComponent(ruleName)}`;
}

function consoleOrigin(region: string): string {
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  return `https://${region}.console.aws.amazon.com`;
}

function account(id: string, names: AccountDirectory | undefined): { account: string; accountName?: string } {
  const name = names?.describe(id)?.name;
  return name ? { account: id, accountName: name } : { account: id };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

function rule(finding: AsffFinding): string {
  return finding.ProductFields?.['skywatch/RuleId'] ?? finding.GeneratorId;
}

function isLabel(value: unknown): value is SeverityLabel {
  return (SEVERITY_LABELS as readonly unknown[]).includes(value);
}
