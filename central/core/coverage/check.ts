/**
 * The full coverage check: compares the organization's accounts with the member StackSet's instances
 * and Security Hub membership, and says what is missing. Pure: the AWS adapter gathers the inputs.
 */
import type { GapKind } from './reporter.js';

/** An account as Organizations lists it. */
export interface OrgAccount {
  readonly id: string;
  readonly name?: string;
  /** Organizations' account `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, PENDING_ACTIVATION, CLOSED). */
  readonly state: string;
}

/** One stack instance of the member StackSet. */
export interface StackInstance {
  readonly account: string;
  readonly region: string;
  /** CURRENT, OUTDATED or INOPERABLE. */
  readonly status: string;
  /** The last operation's outcome (`StackInstanceStatus.DetailedStatus`: SUCCEEDED, FAILED, RUNNING...). */
  readonly detailedStatus?: string;
  readonly statusReason?: string;
}

/** An account as the Security Hub administrator sees it. */
export interface SecurityHubMember {
  readonly account: string;
  /** Created, Invited, Enabled, Removed, Resigned, Deleted or AccountSuspended. */
  readonly status: string;
}

/** One gap in one region (undefined: the whole account), with what was observed. */
export interface Gap {
  readonly kind: GapKind;
  readonly account: string;
  readonly region: string | undefined;
  readonly detail: string;
}

/** What a full check looks at. */
export interface CoverageInputs {
  readonly accounts: readonly OrgAccount[];
  readonly managementAccount: string;
  readonly memberRegions: readonly string[];
  readonly stackInstances: readonly StackInstance[];
  readonly securityHubMembers: readonly SecurityHubMember[];
  /** The Security Hub administrator, which is not a member of itself. */
  readonly centralAccount: string;
  /** Where the central account administers Security Hub (the membership listed is this region's). */
  readonly homeRegion: string;
}

/** Every gap the inputs show, ordered by kind, account and region. */
export function findGaps(inputs: CoverageInputs): Gap[] {
  const gaps: Gap[] = [];
  const instances = new Map(inputs.stackInstances.map((i) => [`${i.account}#${i.region}`, i]));
  const members = new Map(inputs.securityHubMembers.map((m) => [m.account, m]));
  // Only an ACTIVE account can hold stacks; suspended and closing accounts are on their way out.
  for (const account of inputs.accounts.filter((a) => a.state === 'ACTIVE')) {
    // Service-managed StackSets never deploy to the management account: Skywatch covers it with its own stacks.
    if (account.id !== inputs.managementAccount) gaps.push(...stackGaps(account.id, inputs.memberRegions, instances));
    if (account.id !== inputs.centralAccount) {
      const member = members.get(account.id);
      if (member?.status.toLowerCase() !== 'enabled') {
        const detail = member ? `Security Hub member status is ${member.status}` : `not a Security Hub member of the administrator account ${inputs.centralAccount}`;
        gaps.push({ kind: 'security-hub-off', account: account.id, region: inputs.homeRegion, detail });
      }
    }
  }
  const order = (g: Gap) => `${g.kind}#${g.account}#${g.region ?? ''}`;
  return gaps.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

function stackGaps(account: string, regions: readonly string[], instances: ReadonlyMap<string, StackInstance>): Gap[] {
  const missing = regions.flatMap((region) => {
    const instance = instances.get(`${account}#${region}`);
    return instance?.status === 'CURRENT' ? [] : [{ region, detail: describeInstance(instance) }];
  });
  // With no CURRENT instance anywhere the account is dark; with some, only those regions are.
  const kind: GapKind = missing.length === regions.length ? 'member-stack-missing' : 'forwarding-missing';
  return missing.map(({ region, detail }) => ({ kind, account, region, detail }));
}

function describeInstance(instance: StackInstance | undefined): string {
  if (!instance) return 'no stack instance';
  const detailed = instance.detailedStatus ? ` (${instance.detailedStatus})` : '';
  const reason = instance.statusReason ? `: ${instance.statusReason}` : '';
  return `stack instance ${instance.status}${detailed}${reason}`;
}
