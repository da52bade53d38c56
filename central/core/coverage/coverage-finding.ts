/**
 * The ASFF finding of a coverage gap. It lives in the central account and home region (the member
 * account may be the very one Skywatch cannot write to), one per kind and member account, with a
 * stable Id: every change is a new version of the same finding, and closing the gap archives it.
 */
import { partitionOf, productArn, type AsffFinding, type AsffResource } from '../findings/asff.js';
import type { SeverityLabel } from '../rules/schema.js';
import type { GapKind } from './reporter.js';

/** The region key of a gap that covers the whole account. */
export const ACCOUNT_WIDE = '*';

/** A gap as the tracker stores it; everything its finding says comes from here. */
export interface CoverageGapRecord {
  readonly kind: GapKind;
  readonly account: string;
  /** Open regions (ACCOUNT_WIDE: the whole account) and what was observed in each. */
  readonly regions: Readonly<Record<string, string>>;
  /** The regions that were open when the gap closed, for the archived finding. */
  readonly closedRegions?: readonly string[];
  /** When the finding was first created; kept for its whole life, reopenings included. */
  readonly createdAt: string;
  /** When the gap last went from closed to open. */
  readonly openedAt: string;
  /** The finding version's UpdatedAt: later with every change. */
  readonly updatedAt: string;
}

/** Where coverage findings are written. */
export interface CoverageFindingContext {
  readonly centralAccount: string;
  readonly homeRegion: string;
  /** The member account's name, when the organization directory knows it. */
  readonly accountName?: string;
}

interface KindText {
  readonly label: string;
  readonly type: string;
  readonly impact: (account: string, regions: string) => string;
  readonly remediation: string;
}

const TYPE_PREFIX = 'Software and Configuration Checks/AWS Security Best Practices/';

const TEXT: Record<GapKind, KindText> = {
  'member-stack-missing': {
    label: 'member stack missing',
    type: `${TYPE_PREFIX}Skywatch Member Stack Missing`,
    impact: (account, regions) =>
      `Account ${account} has no CURRENT Skywatch member stack (${regions}): its API calls are not forwarded in real time, its buckets are not scanned, and its findings cannot be imported into its Security Hub (no FindingWriter role). Only the organization trail still reaches the detector, minutes late.`,
    remediation:
      'In the management account, open the skywatch-member StackSet: the account must be in an organizational unit the StackSet targets, and its stack instances must be CURRENT. Fix what each instance\'s status reason names, then retry the failed instances with a StackSet update.',
  },
  'forwarding-missing': {
    label: 'event forwarding missing',
    type: `${TYPE_PREFIX}Skywatch Event Forwarding Missing`,
    impact: (account, regions) =>
      `Account ${account} has the Skywatch member stack, but no CURRENT instance of it in ${regions}: events there are not forwarded in real time and its buckets there are not scanned. The organization trail still brings those events to the detector, minutes late.`,
    remediation:
      'In the management account, check this account\'s skywatch-member StackSet instances in the regions named: add a missing region to the StackSet\'s deployment regions, or fix the failure the instance\'s status reason names and update the StackSet.',
  },
  'security-hub-off': {
    label: 'Security Hub off',
    type: `${TYPE_PREFIX}Security Hub Not Enabled`,
    impact: (account, regions) =>
      `Security Hub is not enabled for account ${account} (${regions}): Skywatch cannot import that account's findings there. They wait in the outbox and are imported once Security Hub is on.`,
    remediation:
      'From the Security Hub delegated administrator (the Skywatch central account), enable Security Hub for this account in the regions named (Settings > Configuration, or automatic enablement for the organization). Findings waiting in the outbox are imported as soon as it is on.',
  },
};

const DESCRIPTION_MAX = 1024;

/** The finding Id of a gap: stable for a kind and member account. */
export function coverageFindingId(kind: GapKind, account: string): string {
  return `skywatch/coverage/${kind}/${account}`;
}

/**
 * The severity of a gap. A missing member stack and Security Hub off are HIGH: Skywatch can import no
 * finding for the account. Forwarding missing in some regions is MEDIUM: the stack works elsewhere
 * and the organization trail still brings that region's events, only minutes late; it is HIGH when
 * the home region is among them, because the account-wide FindingWriter role lives in that instance.
 */
export function coverageSeverity(kind: GapKind, openRegions: readonly string[], homeRegion: string): SeverityLabel {
  if (kind !== 'forwarding-missing') return 'HIGH';
  return openRegions.includes(homeRegion) || openRegions.includes(ACCOUNT_WIDE) ? 'HIGH' : 'MEDIUM';
}

/** Builds the finding of a gap: ACTIVE while a region is open, ARCHIVED once none is. */
export function coverageFinding(gap: CoverageGapRecord, ctx: CoverageFindingContext): AsffFinding {
  const text = TEXT[gap.kind];
  const open = Object.keys(gap.regions).sort();
  const active = open.length > 0;
  const shown = active ? open : [...(gap.closedRegions ?? [])].sort();
  const account = ctx.accountName ? `${ctx.accountName} (${gap.account})` : gap.account;
  const regions = regionList(shown);
  const label = coverageSeverity(gap.kind, shown, ctx.homeRegion);
  const severity = { Label: label, Original: label };
  const observed = open.map((r) => `${r === ACCOUNT_WIDE ? 'account-wide' : r}: ${gap.regions[r]}`).join('; ');
  const description = active
    ? `${text.impact(account, regions)} Observed: ${observed}.`
    : `Resolved: account ${account} is covered again; the ${text.label} gap (last open in ${regions}) is closed.`;
  const fields: Record<string, string> = {
    'skywatch/RuleId': `coverage/${gap.kind}`,
    'skywatch/Status': 'active',
    'skywatch/MemberAccount': gap.account,
    ...(ctx.accountName && { 'skywatch/MemberAccountName': ctx.accountName.slice(0, 2048) }),
    [active ? 'skywatch/Regions' : 'skywatch/ClosedRegions']: shown.join(',') || ACCOUNT_WIDE,
  };
  const resource: AsffResource = { Type: 'AwsAccount', Id: `AWS::::Account:${gap.account}`, Partition: partitionOf(ctx.homeRegion), Region: ctx.homeRegion };
  return {
    SchemaVersion: '2018-10-08',
    Id: coverageFindingId(gap.kind, gap.account),
    ProductArn: productArn(ctx.homeRegion, ctx.centralAccount),
    ProductName: 'Skywatch',
    CompanyName: 'Skywatch',
    GeneratorId: `skywatch/coverage/${gap.kind}`,
    AwsAccountId: ctx.centralAccount,
    Region: ctx.homeRegion,
    Types: [text.type],
    FirstObservedAt: gap.openedAt,
    LastObservedAt: gap.updatedAt,
    CreatedAt: gap.createdAt,
    UpdatedAt: gap.updatedAt,
    Severity: severity,
    Title: clip(`Skywatch coverage gap: ${text.label} in account ${account}, ${regions}`, 256),
    Description: clip(description, DESCRIPTION_MAX),
    Remediation: { Recommendation: { Text: text.remediation } },
    ProductFields: fields,
    Resources: [resource],
    FindingProviderFields: { Severity: { ...severity }, Types: [text.type] },
    RecordState: active ? 'ACTIVE' : 'ARCHIVED',
  };
}

function regionList(regions: readonly string[]): string {
  if (regions.includes(ACCOUNT_WIDE)) return 'every region';
  return regions.length === 1 ? `region ${regions[0]}` : `regions ${regions.join(', ')}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
