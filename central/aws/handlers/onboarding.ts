/**
 * Onboarding and coverage: on Organizations account events and daily, reads the organization, the
 * member StackSet's instances and Security Hub membership, saves the directory snapshot and keeps
 * one coverage finding per gap. Every invocation runs the full check: an event only makes it sooner.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { findGaps } from '../../core/coverage/check.js';
import { CoverageTracker, type CheckedScope } from '../../core/coverage/tracker.js';
import type { Outbox } from '../../core/delivery/outbox.js';
import type { OrganizationReader } from '../../core/directory/organization-reader.js';
import { saveDirectory, SnapshotDirectory } from '../../core/directory/stored-directory.js';
import { systemClock, type Clock, type StateStore } from '../../core/ports.js';
import { DynamoOutbox } from '../adapters/dynamodb-outbox.js';
import { DynamoStateStore } from '../adapters/dynamodb-state-store.js';
import { assumedRoleCredentials, OrganizationsDirectory } from '../adapters/organizations-directory.js';
import { dynamoClient } from '../clients.js';
import { requireEnv, retentionDaysFromEnv } from '../lambda/environment.js';
import { log } from '../lambda/log.js';
import { builtOnce } from '../lambda/built-once.js';

/** What a run needs. */
export interface OnboardingDeps {
  readonly organization: OrganizationReader;
  readonly state: StateStore;
  readonly outbox: Outbox;
  readonly clock: Clock;
  /** The Security Hub administrator, where coverage findings are written. */
  readonly centralAccount: string;
  /** The organization's management account, which no StackSet instance covers. */
  readonly managementAccount: string;
  readonly homeRegion: string;
  readonly memberRegions: readonly string[];
  /** See CoverageTrackerOptions.refreshAfterMs. */
  readonly refreshAfterMs?: number;
}

/** What a run found and changed. */
export interface OnboardingResult {
  readonly accounts: number;
  readonly gaps: number;
  /** Coverage finding Ids with a new version. */
  readonly changed: readonly string[];
  /** Gaps open after the run. */
  readonly open: number;
}

/** The part of the Lambda context onboarding reads. */
export type OnboardingContext = Pick<Context, 'invokedFunctionArn'>;

/** The gaps one full check decides: StackSet gaps everywhere, Security Hub membership in the home region only. */
export function onboardingScope(homeRegion: string): CheckedScope[] {
  // Security Hub off elsewhere is the publisher's to open and close, from what imports answer.
  return [{ kind: 'member-stack-missing' }, { kind: 'forwarding-missing' }, { kind: 'security-hub-off', regions: [homeRegion] }];
}

/** An onboarding handler over its deps, or a factory run on the first invocation (and again after it fails). */
export function onboardingHandler(deps: OnboardingDeps | ((context?: OnboardingContext) => Promise<OnboardingDeps>)) {
  const get = builtOnce(deps);
  return async (event?: unknown, context?: OnboardingContext): Promise<OnboardingResult> => {
    log.info('coverage check started', trigger(event));
    const d = await get(context);
    const readout = await d.organization.read();
    const snapshot = { takenAt: d.clock.now().toISOString(), accounts: readout.accounts };
    await saveDirectory(d.state, snapshot);
    const gaps = findGaps({
      accounts: readout.accounts,
      managementAccount: d.managementAccount,
      memberRegions: d.memberRegions,
      stackInstances: readout.stackInstances,
      securityHubMembers: readout.securityHubMembers,
      centralAccount: d.centralAccount,
      homeRegion: d.homeRegion,
    });
    const tracker = new CoverageTracker({
      state: d.state,
      outbox: d.outbox,
      clock: d.clock,
      centralAccount: d.centralAccount,
      homeRegion: d.homeRegion,
      directory: new SnapshotDirectory(snapshot),
      ...(d.refreshAfterMs !== undefined && { refreshAfterMs: d.refreshAfterMs }),
    });
    const { changed, open } = await tracker.reconcile(gaps, onboardingScope(d.homeRegion));
    log.info('coverage checked', { accounts: readout.accounts.length, gaps: gaps.length, changed, open: open.length, tagsReadable: readout.tagsReadable });
    return { accounts: readout.accounts.length, gaps: gaps.length, changed, open: open.length };
  };
}

/** The event name and account of an Organizations event; a schedule's invocation says so. */
function trigger(event: unknown): { trigger: string; account?: string } {
  const e = event as { source?: unknown; account?: unknown; detail?: { eventName?: unknown } } | undefined;
  if (e?.source !== 'aws.organizations') return { trigger: 'schedule' };
  return { trigger: typeof e.detail?.eventName === 'string' ? e.detail.eventName : 'unknown', ...(typeof e.account === 'string' && { account: e.account }) };
}

/** SDK clients onboarding uses; tests pass their own. */
export interface OnboardingClients {
  /** The function's own STS client: assumes the coverage reader role, tells the central account. */
  readonly sts: STSClient;
  readonly dynamodb: DynamoDBClient;
  /** Built with the reader role's credentials unless given. */
  readonly organizations: OrganizationsClient;
  /** Built with the reader role's credentials unless given. */
  readonly cloudFormation: CloudFormationClient;
  /** The function's own credentials. */
  readonly securityHub: SecurityHubClient;
}

const DAY_MS = 86_400_000;

/**
 * Builds the deps from the environment (stacks/central/onboarding.ts sets it). The management account
 * comes from the reader role's ARN, the central account from the function's ARN (or STS).
 */
export async function onboardingDepsFromEnv(context?: OnboardingContext, options: { readonly clients?: Partial<OnboardingClients>; readonly clock?: Clock } = {}): Promise<OnboardingDeps> {
  const table = requireEnv('STATE_TABLE');
  const roleArn = requireEnv('COVERAGE_READER_ROLE_ARN');
  const stackSetName = requireEnv('STACK_SET_NAME');
  const memberRegions = requireEnv('MEMBER_REGIONS').split(',').map((r) => r.trim()).filter(Boolean);
  const homeRegion = requireEnv('AWS_REGION');
  const retentionDays = retentionDaysFromEnv();
  const managementAccount = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
  if (!managementAccount) throw new Error('COVERAGE_READER_ROLE_ARN is not an IAM role ARN');
  const clock = options.clock ?? systemClock;
  const given = options.clients ?? {};
  const sts = given.sts ?? new STSClient({ region: homeRegion });
  const reader = assumedRoleCredentials(sts, roleArn, { clock });
  const organizations = given.organizations ?? new OrganizationsClient({ region: homeRegion, credentials: reader, maxAttempts: 8 });
  const cloudFormation = given.cloudFormation ?? new CloudFormationClient({ region: homeRegion, credentials: reader });
  const securityHub = given.securityHub ?? new SecurityHubClient({ region: homeRegion });
  const dynamodb = given.dynamodb ?? dynamoClient();
  const centralAccount = context?.invokedFunctionArn.split(':')[4] || (await sts.send(new GetCallerIdentityCommand({}))).Account;
  if (!centralAccount) throw new Error('cannot tell the central account from the function ARN or STS');
  log.info('onboarding ready', { table, stackSetName, memberRegions, managementAccount, centralAccount, homeRegion });
  return {
    organization: new OrganizationsDirectory({ organizations, cloudFormation, securityHub, stackSetName }),
    state: new DynamoStateStore({ client: dynamodb, table, clock, retentionDays }),
    outbox: new DynamoOutbox({ client: dynamodb, table }),
    clock,
    centralAccount,
    managementAccount,
    homeRegion,
    memberRegions,
    // Open gaps are rewritten well before the state table's TTL would remove them.
    refreshAfterMs: Math.min(7, retentionDays / 2) * DAY_MS,
  };
}

/** The Lambda entry point; the deps are built on the first invocation and reused. */
export const handler = onboardingHandler((context) => onboardingDepsFromEnv(context));
