/**
 * Builds AWS Security Finding Format documents. The shape is our own interface (the core imports no
 * SDK); tests validate every finding against the SDK's `AwsSecurityFinding` model and the limits in docs/architecture.md.
 */
import { investigateHint } from '../query/investigate.js';
import type { SecurityEvent } from '../event.js';
import type { SeverityLabel } from '../rules/schema.js';
import type { LedgerEntry } from './ledger.js';

/** The subset of ASFF Skywatch writes. */
export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  FirstObservedAt: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: SeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation?: { Recommendation: { Text: string; Url?: string } };
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Action?: AsffAction;
  /** Malware a scan found (YARA rule names), at most 5. */
  Malware?: AsffMalware[];
  /** The traffic a network statistics or IOC finding is about. */
  Network?: AsffNetwork;
  /** The findings a correlation finding joins, at most MAX_RELATED_FINDINGS. */
  RelatedFindings?: AsffRelatedFinding[];
  FindingProviderFields: { Severity: { Label: SeverityLabel; Original: string }; Types: string[] };
  RecordState: 'ACTIVE' | 'ARCHIVED';
}

/** One ASFF resource. */
export interface AsffResource {
  Type: string;
  Id: string;
  Partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  Region: string;
}

/** ASFF `Network`: the direction is the resource's (IN: traffic to it, OUT: traffic it sent). */
export interface AsffNetwork {
  Direction?: 'IN' | 'OUT';
  Protocol?: string;
  SourceIpV4?: string;
  SourceIpV6?: string;
  SourcePort?: number;
  DestinationIpV4?: string;
  DestinationIpV6?: string;
  DestinationPort?: number;
}

/** One piece of malware, as ASFF names it. */
export interface AsffMalware {
  Name: string;
  Path?: string;
  State?: 'OBSERVED' | 'REMOVAL_FAILED' | 'REMOVED';
}

/** Another finding, by the pair that identifies a finding in Security Hub. */
export interface AsffRelatedFinding {
  ProductArn: string;
  Id: string;
}

/**
 * The most RelatedFindings one finding may carry: the Security Hub API model documents
 * `AwsSecurityFinding.RelatedFindings` as "Minimum number of 1 item. Maximum number of 10 items".
 */
export const MAX_RELATED_FINDINGS = 10;

/** The API call behind a finding. */
export interface AsffAction {
  ActionType: 'AWS_API_CALL';
  AwsApiCallAction: {
    Api: string;
    ServiceName: string;
    CallerType: 'remoteip' | 'domain';
    RemoteIpDetails?: { IpAddressV4: string };
    DomainDetails?: { Domain: string };
    FirstSeen: string;
    LastSeen: string;
  };
}

/**
 * What a detector knows about a finding before it becomes ASFF: about one event (a rule hit, an
 * object scan), or about a correlation of many events across accounts.
 */
export type FindingDraft = EventFindingDraft | CorrelationFindingDraft;

/** What every draft has. */
interface DraftCommon {
  readonly id: string;
  readonly generatorId: string;
  readonly ruleId: string;
  readonly status: 'active' | 'staged';
  readonly title: string;
  readonly description: string;
  readonly types: readonly string[];
  readonly mitre: readonly string[];
  readonly remediation?: { readonly text: string; readonly url?: string };
  readonly resources: ReadonlyArray<{ readonly type: string; readonly id: string }>;
  /**
   * The suppression that covers this finding. It is still recorded, marked in ProductFields so it is
   * not notified; Workflow and Note stay the customer's (see docs/architecture.md).
   */
  readonly suppression?: { readonly id: string; readonly reason: string; readonly owner: string; readonly expires: string };
  /** Malware found in an object (object scans). */
  readonly malware?: readonly AsffMalware[];
  /** More `ProductFields`, for what only this kind of finding knows (kept within ASFF's 50 pairs). */
  readonly fields?: Readonly<Record<string, string>>;
}

/** The draft of a finding about one event. */
export interface EventFindingDraft extends DraftCommon {
  /** The latest evidence event: account, region, caller and API come from it. */
  readonly event: SecurityEvent;
  readonly correlation?: undefined;
}

/**
 * The draft of a correlation finding. It is about no single event or API call (so it has no
 * `Action`), and it lives where the Security Hub administrator reads every account: the central
 * account and home region.
 */
export interface CorrelationFindingDraft extends DraftCommon {
  readonly event?: undefined;
  readonly correlation: {
    /** The finding's `AwsAccountId`, `Region` and product ARN. */
    readonly place: { readonly account: string; readonly region: string };
    /** The base findings, oldest first; beyond MAX_RELATED_FINDINGS only the last ones are kept. */
    readonly relatedFindings: ReadonlyArray<{ readonly productArn: string; readonly id: string }>;
  };
}

const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const RECOMMENDATION_MAX = 512;
const PRODUCT_FIELD_MAX = 2048;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The product ARN a member account imports its own findings under. */
export function productArn(region: string, account: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

/** Builds the finding from its draft and ledger entry. */
export function buildFinding(draft: FindingDraft, entry: LedgerEntry): AsffFinding {
  const { event } = draft;
  const { account, region } = draft.event ?? draft.correlation.place;
  const partition = partitionOf(region);
  const severity = { Label: entry.severity, Original: entry.severity };
  const types = [...draft.types];
  const related = draft.correlation?.relatedFindings.slice(-MAX_RELATED_FINDINGS) ?? [];
  return {
    SchemaVersion: '2018-10-08',
    Id: draft.id,
    ProductArn: productArn(region, account),
    ProductName: 'Skywatch',
    CompanyName: 'Skywatch',
    GeneratorId: draft.generatorId,
    AwsAccountId: account,
    Region: region,
    Types: types,
    FirstObservedAt: entry.firstObservedAt,
    LastObservedAt: entry.lastObservedAt,
    CreatedAt: entry.createdAt,
    UpdatedAt: entry.updatedAt,
    Severity: severity,
    Title: clip(draft.title, TITLE_MAX),
    Description: clip(draft.description, DESCRIPTION_MAX),
    ...(draft.remediation && {
      Remediation: { Recommendation: { Text: clip(draft.remediation.text, RECOMMENDATION_MAX), ...(draft.remediation.url && { Url: draft.remediation.url }) } },
    }),
    ProductFields: draft.event ? productFields(draft, draft.event, entry) : correlationFields(draft, entry),
    Resources: draft.resources.slice(0, 32).map((r) => ({ Type: r.type, Id: clip(r.id, 512), Partition: partition, Region: region })),
    ...(related.length > 0 && { RelatedFindings: related.map((f) => ({ ProductArn: f.productArn, Id: f.id })) }),
    ...(event?.kind === 'cloudtrail' && { Action: apiCallAction(event, entry) }),
    ...(draft.malware?.length && { Malware: draft.malware.slice(0, 5).map((m) => ({ ...m, Name: clip(m.Name, 64), ...(m.Path && { Path: clip(m.Path, 512) }) })) }),
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
    RecordState: 'ACTIVE',
  };
}

function productFields(draft: FindingDraft, event: SecurityEvent, entry: LedgerEntry): Record<string, string> {
  const fields: Record<string, string> = {
    'skywatch/RuleId': draft.ruleId,
    'skywatch/Status': draft.status,
    'skywatch/EventIds': joinWithin(entry.recentEventIds, PRODUCT_FIELD_MAX),
    'skywatch/EventCount': String(entry.eventCount),
    'skywatch/EventSource': event.source,
    'skywatch/EventName': event.name,
    'skywatch/ActorType': event.actor.type,
  };
  // Marks findings over GuardDuty and Config signals, which are notified and never imported.
  if (event.kind !== 'cloudtrail') fields['skywatch/EventKind'] = event.kind;
  if (draft.mitre.length) fields['skywatch/MitreTechniques'] = draft.mitre.join(',');
  if (event.actor.arn) fields['skywatch/ActorArn'] = clip(event.actor.arn, PRODUCT_FIELD_MAX);
  if (event.actor.accessKeyId) fields['skywatch/AccessKeyId'] = event.actor.accessKeyId;
  if (event.sourceIp) fields['skywatch/SourceIp'] = clip(event.sourceIp, PRODUCT_FIELD_MAX);
  if (event.userAgent) fields['skywatch/UserAgent'] = clip(event.userAgent, PRODUCT_FIELD_MAX);
  if (event.errorCode) fields['skywatch/ErrorCode'] = clip(event.errorCode, PRODUCT_FIELD_MAX);
  // The investigation to run first (rules/queries/), whole or not at all: a clipped value would mislead.
  const hint = investigateHint({ actorArn: event.actor.arn, accessKeyId: event.actor.accessKeyId, sourceIp: event.sourceIp });
  if (hint && hint.length <= PRODUCT_FIELD_MAX) fields['skywatch/Investigate'] = hint;
  return withDraftFields(fields, draft);
}

/**
 * A correlation finding's fields. Its evidence is observations (`<event id>#<detector>`), not events,
 * so they are named as such; `skywatch/EventKind` marks it, and is no signal kind.
 */
function correlationFields(draft: CorrelationFindingDraft, entry: LedgerEntry): Record<string, string> {
  const fields: Record<string, string> = {
    'skywatch/RuleId': draft.ruleId,
    'skywatch/Status': draft.status,
    'skywatch/EventKind': 'correlation',
    'skywatch/ObservationIds': joinWithin(entry.recentEventIds, PRODUCT_FIELD_MAX),
    'skywatch/ObservationCount': String(entry.eventCount),
  };
  if (draft.mitre.length) fields['skywatch/MitreTechniques'] = draft.mitre.join(',');
  return withDraftFields(fields, draft);
}

/** Adds the draft's own fields and its suppression. */
function withDraftFields(fields: Record<string, string>, draft: FindingDraft): Record<string, string> {
  for (const [name, value] of Object.entries(draft.fields ?? {})) fields[name] = clip(value, PRODUCT_FIELD_MAX);
  if (draft.suppression) {
    fields['skywatch/SuppressedBy'] = draft.suppression.id;
    fields['skywatch/SuppressionReason'] = clip(draft.suppression.reason, PRODUCT_FIELD_MAX);
    fields['skywatch/SuppressionOwner'] = clip(draft.suppression.owner, PRODUCT_FIELD_MAX);
    fields['skywatch/SuppressionExpires'] = draft.suppression.expires;
  }
  return fields;
}

function apiCallAction(event: SecurityEvent, entry: LedgerEntry): AsffAction {
  const ip = event.sourceIp;
  const byIp = ip !== undefined && IPV4.test(ip);
  return {
    ActionType: 'AWS_API_CALL',
    AwsApiCallAction: {
      Api: event.name,
      ServiceName: event.source,
      // CloudTrail puts a service's domain in sourceIPAddress when a service made the call.
      CallerType: byIp || !ip ? 'remoteip' : 'domain',
      ...(byIp && { RemoteIpDetails: { IpAddressV4: ip } }),
      ...(!byIp && ip && !ip.includes(':') && { DomainDetails: { Domain: ip } }),
      FirstSeen: entry.firstObservedAt,
      LastSeen: entry.lastObservedAt,
    },
  };
}

/** Comma-joins as many ids as fit in `max` characters, newest first. */
function joinWithin(ids: readonly string[], max: number): string {
  let out = '';
  for (const id of ids) {
    const nextLength = out.length + (out ? 1 : 0) + id.length;
    if (nextLength > max) break;
    out = out ? `${out},${id}` : id;
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): AsffResource['Partition'] {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
