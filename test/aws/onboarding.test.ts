/**
 * Onboarding end to end: the handler built from its environment reads a fake organization (every
 * API paged, every request checked against the SDK models) through the coverage reader role, keeps
 * its state and outbox in DynamoDB (dynalite), and keeps one coverage finding per gap.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoOutbox } from '../../central/aws/adapters/dynamodb-outbox.js';
import { DynamoStateStore } from '../../central/aws/adapters/dynamodb-state-store.js';
import { onboardingDepsFromEnv, onboardingHandler, type OnboardingContext } from '../../central/aws/handlers/onboarding.js';
import { loadStoredDirectory } from '../../central/core/directory/stored-directory.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { accountNamed, buildOrganization, type DemoOrganization } from '../../central/demo/organization.js';
import { createRandom } from '../../central/demo/random.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { ManualClock } from '../support/detector.js';
import { startDynalite, type LocalDynamo } from '../support/dynalite.js';
import { demoFakeOrganization, OrganizationFake } from '../support/organization-fake.js';
import { SecurityHubFake } from '../support/security-hub-fake.js';

const HOUR = 3_600_000;
// The function's own credentials (the Lambda role), as opposed to the reader role's.
const OWN = { accessKeyId: 'ASIAONBOARDINGLAMBDA', secretAccessKey: 'ownSecret/K7MDENGbPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEOnboarding' };
const NEW_ACCOUNT = '402761985532';
/** EventBridge Scheduler invokes the function with no input of its own. */
const SCHEDULE = {};

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo.close());

let demo: DemoOrganization;
let fake: OrganizationFake;
let clock: ManualClock;
let sts: STSClient;
let hub: SecurityHubClient;
let table: string;
let logs: string[];
let management: string;
let central: string;
let context: OnboardingContext;

beforeEach(async () => {
  demo = buildOrganization(createRandom(7));
  // Earlier than the wall clock, so the SDK's own credential cache always defers to the provider's clock.
  clock = new ManualClock(Date.parse('2026-06-01T09:00:00Z'));
  fake = new OrganizationFake(demoFakeOrganization(demo), { clock, pageSize: 2 });
  management = fake.organization.managementAccount;
  central = fake.organization.centralAccount;
  context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${central}:function:SkywatchCentral-OnboardingFunction-1X2Y3Z4W5V6U` };
  sts = new STSClient({ region: 'us-east-1', credentials: OWN });
  hub = new SecurityHubClient({ region: 'us-east-1', credentials: OWN });
  // Organizations and CloudFormation clients are built by the handler with the reader role: mock the classes.
  fake.mock({ organizations: OrganizationsClient, cloudFormation: CloudFormationClient, securityHub: hub, sts });
  table = await dynamo.createTable();
  const env = {
    STATE_TABLE: table,
    COVERAGE_READER_ROLE_ARN: fake.readerRoleArn,
    STACK_SET_NAME: 'skywatch-member',
    MEMBER_REGIONS: 'us-east-1,eu-west-1',
    AWS_REGION: 'us-east-1',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  logs = [];
  const capture = (line: unknown) => void logs.push(String(line));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});

afterEach(() => {
  fake.restore();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A warm container: deps built from the environment on the first invocation, reused after. */
function container(ctx: OnboardingContext | undefined) {
  const handle = onboardingHandler((c) => onboardingDepsFromEnv(c, { clients: { sts, securityHub: hub, dynamodb: dynamo.client }, clock }));
  return (event?: unknown) => handle(event, ctx);
}

const outbox = () => new DynamoOutbox({ client: dynamo.client, table });

async function pending(): Promise<AsffFinding[]> {
  const out: AsffFinding[] = [];
  for await (const page of outbox().pages()) out.push(...page.map((i) => i.finding));
  return out;
}

/** Takes everything out of the outbox, as the publisher does once Security Hub accepted it. */
async function drain(): Promise<AsffFinding[]> {
  const findings = await pending();
  await outbox().remove(findings);
  return findings;
}

function organizationsEvent(eventName: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: '8f4c3a6e-2b1d-4c9e-a7f0-5d3e1b2c4a6f',
    'detail-type': eventName === 'CreateAccountResult' ? 'AWS Service Event via CloudTrail' : 'AWS API Call via CloudTrail',
    source: 'aws.organizations',
    account: management,
    time: '2026-06-01T08:58:12Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventTime: '2026-06-01T08:58:12Z',
      eventSource: 'organizations.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      eventID: '3b9d2f41-7c6e-4a58-9e1f-0a2b4c6d8e0f',
      readOnly: false,
      managementEvent: true,
      recipientAccountId: management,
      eventCategory: 'Management',
      ...detail,
    },
  };
}

const createAccountResult = () =>
  organizationsEvent('CreateAccountResult', {
    userIdentity: { accountId: management, invokedBy: 'AWS Internal' },
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: null,
    eventType: 'AwsServiceEvent',
    serviceEventDetails: {
      createAccountStatus: {
        id: 'car-4e1b9a7c2f3d4e5a6b7c8d9e0f1a2b3c',
        state: 'SUCCEEDED',
        accountName: '****',
        accountId: NEW_ACCOUNT,
        requestedTimestamp: 'Jun 1, 2026 8:56:40 AM',
        completedTimestamp: 'Jun 1, 2026 8:58:12 AM',
      },
    },
  });

const byId = (findings: readonly AsffFinding[]) => Object.fromEntries(findings.map((f) => [f.Id.replace('skywatch/coverage/', ''), f]));

describe('onboarding', () => {
  it('checks a fully covered organization over every page, saves its directory and raises no finding', async () => {
    const result = await container(context)(SCHEDULE);
    expect(result).toEqual({ accounts: 8, gaps: 0, changed: [], open: 0 });
    expect(await pending()).toEqual([]);
    expect(logs.find((l) => l.includes('coverage check started'))).toContain('"trigger":"schedule"');
    expect(fake.violations).toEqual([]);
    // 8 accounts, 14 instances and 7 members, two a page; parents of 8 accounts and 5 OUs, each OU once.
    expect(fake.calls).toEqual({ AssumeRole: 1, ListAccounts: 4, ListStackInstances: 7, ListMembers: 4, ListParents: 13, ListTagsForResource: 8 });
    const directory = await loadStoredDirectory(new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 90 }), { clock });
    const payments = accountNamed(demo, 'prod-payments');
    const workloads = demo.ous.find((o) => o.name === 'Workloads')!;
    expect(directory?.describe(payments.id)).toEqual({ name: 'prod-payments', ous: [demo.rootId, workloads.id, payments.ou.id], tags: { environment: 'prod' } });
    expect(directory?.describe(management)).toEqual({ name: 'management', ous: [demo.rootId], tags: { environment: 'root' } });
  });

  it('raises findings for an account created without stack instances and archives them as the StackSet and Security Hub catch up', async () => {
    const run = container(context);
    const sandbox = demo.ous.find((o) => o.name === 'Sandbox')!;
    fake.addAccount({ id: NEW_ACCOUNT, name: 'payments-sandbox', email: 'aws+payments-sandbox@example.com', parent: sandbox.id, securityHub: 'Created' });

    expect(await run(createAccountResult())).toMatchObject({ accounts: 9, gaps: 3, open: 2 });
    const opened = byId(await drain());
    expect(Object.keys(opened).sort()).toEqual([`member-stack-missing/${NEW_ACCOUNT}`, `security-hub-off/${NEW_ACCOUNT}`]);
    for (const f of Object.values(opened)) {
      expect(validateAsffFinding(f)).toEqual([]);
      expect(f).toMatchObject({ AwsAccountId: central, Region: 'us-east-1', ProductArn: `arn:aws:securityhub:us-east-1:${central}:product/${central}/default`, RecordState: 'ACTIVE', CreatedAt: '2026-06-01T09:00:00.000Z' });
    }
    const missing = opened[`member-stack-missing/${NEW_ACCOUNT}`]!;
    expect(missing.Title).toBe(`Skywatch coverage gap: member stack missing in account payments-sandbox (${NEW_ACCOUNT}), regions eu-west-1, us-east-1`);
    expect(missing.Severity.Label).toBe('HIGH');
    expect(opened[`security-hub-off/${NEW_ACCOUNT}`]!.Description).toContain('Observed: us-east-1: Security Hub member status is Created.');

    // Only the triggering event's name and account are logged, nothing else of it.
    const started = logs.filter((l) => l.includes('coverage check started'));
    expect(started.map((l) => JSON.parse(l) as Record<string, unknown>).map(({ time: _t, ...rest }) => rest)).toEqual([
      { level: 'info', message: 'coverage check started', trigger: 'CreateAccountResult', account: management },
    ]);
    expect(logs.join('\n')).not.toContain('car-4e1b9a7c2f3d4e5a6b7c8d9e0f1a2b3c');
    expect(logs.join('\n')).not.toContain('readerSecret');

    // A day later the StackSet reached us-east-1 and Security Hub is enabled.
    clock.advance(24 * HOUR);
    fake.setStackInstance(NEW_ACCOUNT, 'us-east-1', 'CURRENT');
    fake.setStackInstance(NEW_ACCOUNT, 'eu-west-1', { status: 'OUTDATED', detailedStatus: 'RUNNING' });
    fake.updateAccount(NEW_ACCOUNT, { securityHub: 'Enabled' });
    await run(SCHEDULE);
    const second = byId(await drain());
    expect(Object.fromEntries(Object.entries(second).map(([id, f]) => [id, [f.RecordState, f.Severity.Label, f.CreatedAt, f.UpdatedAt]]))).toEqual({
      [`forwarding-missing/${NEW_ACCOUNT}`]: ['ACTIVE', 'MEDIUM', '2026-06-02T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
      [`member-stack-missing/${NEW_ACCOUNT}`]: ['ARCHIVED', 'HIGH', '2026-06-01T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
      [`security-hub-off/${NEW_ACCOUNT}`]: ['ARCHIVED', 'HIGH', '2026-06-01T09:00:00.000Z', '2026-06-02T09:00:00.000Z'],
    });
    expect(second[`forwarding-missing/${NEW_ACCOUNT}`]!.Description).toContain('Observed: eu-west-1: stack instance OUTDATED (RUNNING).');

    clock.advance(HOUR);
    fake.setStackInstance(NEW_ACCOUNT, 'eu-west-1', 'CURRENT');
    expect(await run(SCHEDULE)).toEqual({ accounts: 9, gaps: 0, changed: [`skywatch/coverage/forwarding-missing/${NEW_ACCOUNT}`], open: 0 });
    expect((await drain()).map((f) => [f.RecordState, f.UpdatedAt])).toEqual([['ARCHIVED', '2026-06-02T10:00:00.000Z']]);
    expect(fake.violations).toEqual([]);
    // The reader role's credentials lasted an hour, so each of the three runs assumed it again.
    expect(fake.calls.AssumeRole).toBe(3);
  });

  it('writes no finding version when a run finds what the previous one found', async () => {
    const run = container(context);
    fake.setStackInstance(accountNamed(demo, 'staging').id, 'eu-west-1', { status: 'INOPERABLE', detailedStatus: 'INOPERABLE', reason: 'Stack instance was removed from the stack set with RetainStacks' });
    await run(SCHEDULE);
    expect((await drain()).map((f) => f.Id)).toEqual([`skywatch/coverage/forwarding-missing/${accountNamed(demo, 'staging').id}`]);
    clock.advance(24 * HOUR);
    expect(await run(SCHEDULE)).toEqual({ accounts: 8, gaps: 1, changed: [], open: 1 });
    expect(await pending()).toEqual([]);
  });

  it('archives the gaps of an account that left the organization', async () => {
    const run = container(context);
    const web = accountNamed(demo, 'prod-web').id;
    fake.setStackInstance(web, 'eu-west-1', undefined);
    await run(SCHEDULE);
    await drain();
    clock.advance(HOUR);
    fake.removeAccount(web);
    await run(organizationsEvent('RemoveAccountFromOrganization', { requestParameters: { accountId: web }, responseElements: null }));
    expect((await drain()).map((f) => [f.Id, f.RecordState])).toEqual([[`skywatch/coverage/forwarding-missing/${web}`, 'ARCHIVED']]);
  });

  it('carries on without tags when the reader role may not read them, and says so once', async () => {
    fake.denyTagReads();
    const result = await container(context)(SCHEDULE);
    expect(result.accounts).toBe(8);
    const directory = await loadStoredDirectory(new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 90 }), { clock });
    expect(directory?.describe(accountNamed(demo, 'prod-payments').id)?.tags).toEqual({});
    expect(logs.filter((l) => l.includes('account tags not readable'))).toHaveLength(1);
    expect(logs.find((l) => l.includes('coverage checked'))).toContain('"tagsReadable":false');
  });

  it('tells the central account from STS when the function ARN is not at hand', async () => {
    fake.updateAccount(accountNamed(demo, 'dev-sandbox').id, { securityHub: 'Resigned' });
    await container(undefined)(SCHEDULE);
    expect(fake.calls.GetCallerIdentity).toBe(1);
    expect((await pending()).map((f) => [f.Id, f.AwsAccountId])).toEqual([[`skywatch/coverage/security-hub-off/${accountNamed(demo, 'dev-sandbox').id}`, central]]);
  });

  it('reads every page of an account\'s tags', async () => {
    const payments = accountNamed(demo, 'prod-payments').id;
    const tags = { environment: 'prod', 'cost-center': 'cc-4471', owner: 'payments-platform', 'data-classification': 'pci', 'skywatch:tier': 'critical' };
    fake.updateAccount(payments, { tags });
    await container(context)(SCHEDULE);
    const directory = await loadStoredDirectory(new DynamoStateStore({ client: dynamo.client, table, clock, retentionDays: 90 }), { clock });
    expect(directory?.describe(payments)?.tags).toEqual(tags);
    expect(fake.calls.ListTagsForResource).toBe(7 + 3);
  });

  it('runs beside the publisher\'s Security Hub fake in one process, each answering its own clients', async () => {
    const publisherSide = new SecurityHubFake({ clock });
    try {
      fake.updateAccount(accountNamed(demo, 'staging').id, { securityHub: 'Invited' });
      await container(context)(SCHEDULE);
      expect((await pending()).map((f) => f.Id)).toEqual([`skywatch/coverage/security-hub-off/${accountNamed(demo, 'staging').id}`]);
      expect(fake.violations).toEqual([]);
      expect(publisherSide.violations).toEqual([]);
      expect(publisherSide.counters.assumeRoles).toBe(0);
    } finally {
      publisherSide.restore();
    }
  });

  it('fails loudly when its configuration is missing, and builds again on the next invocation', async () => {
    vi.stubEnv('COVERAGE_READER_ROLE_ARN', '');
    const run = container(context);
    await expect(run(SCHEDULE)).rejects.toThrow('environment variable COVERAGE_READER_ROLE_ARN is not set');
    vi.stubEnv('COVERAGE_READER_ROLE_ARN', fake.readerRoleArn);
    expect((await run(SCHEDULE)).accounts).toBe(8);
  });
});
