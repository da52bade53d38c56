/**
 * A fake organization behind aws-sdk-client-mock, for onboarding's tests and the end-to-end harness:
 * Organizations (ListAccounts, ListParents, ListTagsForResource), CloudFormation ListStackInstances,
 * Security Hub ListMembers and STS (AssumeRole of the coverage reader role, GetCallerIdentity), all
 * answered from one description that tests change between runs.
 *
 * Like the real services it pages with NextToken (a token only works for the call that issued it),
 * checks every request against the SDKs' own models and the documented limits (a violation is
 * recorded and thrown), and answers Organizations and CloudFormation only to the reader role's
 * credentials in the management account, Security Hub only to the caller's own, in the home region.
 *
 * Combining with test/support/security-hub-fake.ts, which mocks the SecurityHubClient and STSClient
 * classes: aws-sdk-client-mock replaces a class's stub when it is mocked again, so either give
 * onboarding its own client instances and `mock()` those (an instance stub shadows the class stub),
 * or call `handle()` with that fake's stubs after it made them. Among handlers that match a request
 * the one added last answers; `handle()` answers AssumeRole for the reader role's ARN only, so the
 * publisher's roles still reach the other fake.
 */
import {
  CloudFormationClient,
  ListStackInstancesCommand,
  ListStackInstancesInput$,
  StackSetNotFoundException,
  InvalidOperationException,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  AccessDeniedException,
  ChildNotFoundException,
  InvalidInputException,
  ListAccountsCommand,
  ListAccountsRequest$,
  ListParentsCommand,
  ListParentsRequest$,
  ListTagsForResourceCommand,
  ListTagsForResourceRequest$,
  OrganizationsClient,
  TargetNotFoundException,
  type Account,
} from '@aws-sdk/client-organizations';
import { InvalidAccessException, InvalidInputException as HubInvalidInputException, ListMembersCommand, ListMembersRequest$, SecurityHubClient, type Member } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, AssumeRoleRequest$, GetCallerIdentityCommand, GetCallerIdentityRequest$, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { DemoOrganization } from '../../central/demo/organization.js';
import type { Clock } from '../../central/core/ports.js';
import { COVERAGE_READER_ROLE_NAME, MEMBER_STACK_SET_NAME, ONBOARDING_ROLE_NAME } from '../../stacks/names.js';
import { validateRequest, type SchemaRef } from './aws-model.js';

/** A stack instance of the member StackSet. */
export interface FakeStackInstance {
  readonly status: 'CURRENT' | 'OUTDATED' | 'INOPERABLE';
  /** StackInstanceStatus.DetailedStatus; SUCCEEDED for CURRENT, FAILED otherwise, by default. */
  readonly detailedStatus?: string;
  readonly reason?: string;
}

/** One account of the fake organization. */
export interface FakeAccount {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** The root or OU id the account sits in. */
  readonly parent: string;
  /** Organizations' account State. @default 'ACTIVE' */
  readonly state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'PENDING_ACTIVATION' | 'CLOSED';
  readonly tags?: Readonly<Record<string, string>>;
  /** Stack instances by region. */
  readonly stackInstances?: Readonly<Record<string, FakeStackInstance['status'] | FakeStackInstance>>;
  /** Security Hub MemberStatus (Enabled, Created, Invited, Resigned...); undefined: not a member. */
  readonly securityHub?: string;
}

/** An organizational unit. */
export interface FakeOu {
  readonly id: string;
  readonly name: string;
  /** The root or OU id above it. */
  readonly parent: string;
}

/** The organization the fake answers from. */
export interface FakeOrganization {
  readonly organizationId: string;
  readonly rootId: string;
  readonly managementAccount: string;
  /** The Security Hub administrator (the Skywatch central account). */
  readonly centralAccount: string;
  /** Where the StackSet lives and Security Hub is administered. */
  readonly homeRegion: string;
  /** @default MEMBER_STACK_SET_NAME */
  readonly stackSetName?: string;
  readonly ous: readonly FakeOu[];
  readonly accounts: readonly FakeAccount[];
}

/** How the fake behaves. */
export interface OrganizationFakeOptions {
  /** Credential expiry runs on it. */
  readonly clock: Clock;
  /** Items per page at most, below each API's own maximum (small in tests, to exercise paging). */
  readonly pageSize?: number;
}

/** Clients (instances or classes) `mock()` stubs. */
export interface FakeTargets {
  readonly organizations?: OrganizationsClient | typeof OrganizationsClient;
  readonly cloudFormation?: CloudFormationClient | typeof CloudFormationClient;
  readonly securityHub?: SecurityHubClient | typeof SecurityHubClient;
  readonly sts?: STSClient | typeof STSClient;
}

/** Stubs made elsewhere that `handle()` adds handlers to. */
export interface FakeStubs {
  readonly organizations?: AwsClientStub<OrganizationsClient>;
  readonly cloudFormation?: AwsClientStub<CloudFormationClient>;
  readonly securityHub?: AwsClientStub<SecurityHubClient>;
  readonly sts?: AwsClientStub<STSClient>;
}

// The APIs' documented page limits (MaxResults ranges; ListTagsForResource takes none).
const MAX_RESULTS = { ListAccounts: 20, ListParents: 20, ListTagsForResource: 20, ListStackInstances: 100, ListMembers: 50 } as const;
type Operation = keyof typeof MAX_RESULTS;
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const CHILD_ID = /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const JOINED = new Date('2024-03-04T10:15:00Z');

interface IssuedKey {
  readonly expiration: Date;
}

type Context = { readonly credentials: { accessKeyId: string }; readonly region: string };
type GetClient = () => { config: { credentials: () => Promise<{ accessKeyId: string }>; region: () => Promise<string> } };

/** The fake; `restore()` removes the mocks `mock()` made. */
export class OrganizationFake {
  /** Every request that broke the API model or a documented limit; a test expects none. */
  readonly violations: string[] = [];
  /** Requests per operation. */
  readonly calls: Record<string, number> = {};
  readonly readerRoleArn: string;
  private org: { -readonly [K in keyof FakeOrganization]: FakeOrganization[K] };
  private readonly issued = new Map<string, IssuedKey>();
  private tagsDenied = false;
  private readonly stubs: Array<{ restore(): void }> = [];

  constructor(org: FakeOrganization, private readonly options: OrganizationFakeOptions) {
    this.org = structuredClone(org) as typeof this.org;
    this.readerRoleArn = `arn:aws:iam::${org.managementAccount}:role/${COVERAGE_READER_ROLE_NAME}`;
  }

  /** The organization as it stands. */
  get organization(): FakeOrganization {
    return structuredClone(this.org);
  }

  /** Mocks these clients (instances or classes), answering unknown commands with a violation. */
  mock(targets: FakeTargets): this {
    const stub = <T extends { restore(): void; onAnyCommand(): { callsFake(f: (input: object) => unknown): unknown } }>(made: T, service: string): T => {
      made.onAnyCommand().callsFake(async (input) => this.violation(`${service}: unexpected command with input ${JSON.stringify(input).slice(0, 200)}`));
      this.stubs.push(made);
      return made;
    };
    const sts = targets.sts && stub(mockClient(targets.sts as STSClient), 'STS');
    // Alone on the STS stub, the fake refuses every other role; handle() answers the reader role.
    sts?.on(AssumeRoleCommand).callsFake(async (input) => this.count('AssumeRole', AssumeRoleRequest$, input) && this.refuseRole(input));
    return this.handle({
      ...(targets.organizations && { organizations: stub(mockClient(targets.organizations as OrganizationsClient), 'Organizations') }),
      ...(targets.cloudFormation && { cloudFormation: stub(mockClient(targets.cloudFormation as CloudFormationClient), 'CloudFormation') }),
      ...(targets.securityHub && { securityHub: stub(mockClient(targets.securityHub as SecurityHubClient), 'SecurityHub') }),
      ...(sts && { sts }),
    });
  }

  /** Adds the fake's handlers to existing stubs. */
  handle(stubs: FakeStubs): this {
    stubs.organizations?.on(ListAccountsCommand).callsFake((input, getClient) => this.answer('ListAccounts', ListAccountsRequest$, input, getClient, (c) => this.listAccounts(input, c)));
    stubs.organizations?.on(ListParentsCommand).callsFake((input, getClient) => this.answer('ListParents', ListParentsRequest$, input, getClient, (c) => this.listParents(input, c)));
    stubs.organizations?.on(ListTagsForResourceCommand).callsFake((input, getClient) => this.answer('ListTagsForResource', ListTagsForResourceRequest$, input, getClient, (c) => this.listTags(input, c)));
    stubs.cloudFormation?.on(ListStackInstancesCommand).callsFake((input, getClient) => this.answer('ListStackInstances', ListStackInstancesInput$, input, getClient, (c) => this.listStackInstances(input, c)));
    stubs.securityHub?.on(ListMembersCommand).callsFake((input, getClient) => this.answer('ListMembers', ListMembersRequest$, input, getClient, (c) => this.listMembers(input, c)));
    // Matched on the role, so a stub shared with the publisher's fake still answers its roles there.
    stubs.sts?.on(AssumeRoleCommand, { RoleArn: this.readerRoleArn }).callsFake(async (input) => this.count('AssumeRole', AssumeRoleRequest$, input) && this.assumeRole(input));
    stubs.sts?.on(GetCallerIdentityCommand).callsFake(async (input) => this.count('GetCallerIdentity', GetCallerIdentityRequest$, input) && this.callerIdentity());
    return this;
  }

  /** Removes the mocks `mock()` made. */
  restore(): void {
    for (const s of this.stubs.splice(0)) s.restore();
  }

  /** Adds an account (as CreateAccount or an accepted invitation would). */
  addAccount(account: FakeAccount): void {
    this.org.accounts = [...this.org.accounts, structuredClone(account)];
  }

  /** Changes an account: its state, parent, stack instances, Security Hub status or tags. */
  updateAccount(id: string, change: Partial<Omit<FakeAccount, 'id'>>): void {
    if (!this.org.accounts.some((a) => a.id === id)) throw new Error(`the fake organization has no account ${id}`);
    this.org.accounts = this.org.accounts.map((a) => (a.id === id ? { ...a, ...structuredClone(change) } : a));
  }

  /** Sets (or with undefined removes) one stack instance. */
  setStackInstance(id: string, region: string, instance: FakeStackInstance['status'] | FakeStackInstance | undefined): void {
    const current = { ...(this.org.accounts.find((a) => a.id === id)?.stackInstances ?? {}) };
    if (instance === undefined) delete current[region];
    else current[region] = instance;
    this.updateAccount(id, { stackInstances: current });
  }

  /** Removes an account from the organization. */
  removeAccount(id: string): void {
    this.org.accounts = this.org.accounts.filter((a) => a.id !== id);
  }

  /** ListTagsForResource is refused from now on, as with the reader role's policy today. */
  denyTagReads(): void {
    this.tagsDenied = true;
  }

  private async answer<T>(operation: string, schema: SchemaRef, input: object, getClient: unknown, respond: (context: Context) => T): Promise<T> {
    this.count(operation, schema, input);
    const config = (getClient as GetClient)().config;
    return respond({ credentials: await config.credentials(), region: await config.region() });
  }

  private count(operation: string, schema: SchemaRef, input: object): true {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const errors = validateRequest(schema, input);
    if (errors.length > 0) this.violation(`${operation}: ${errors.join('; ')}`);
    return true;
  }

  private violation(message: string): never {
    this.violations.push(message);
    throw new Error(`fake organization: ${message}`);
  }

  /** Organizations and CloudFormation answer the management account's reader role only. */
  private requireReader(operation: string, context: Context): void {
    const key = this.issued.get(context.credentials.accessKeyId);
    if (!key || this.options.clock.now() >= key.expiration) {
      throw new AccessDeniedException({
        $metadata: { httpStatusCode: 400 },
        message: `You don't have permissions to access this resource. (${operation} called without the coverage reader role's credentials)`,
      });
    }
  }

  private page<T>(operation: Operation, input: { NextToken?: string; MaxResults?: number }, scope: string, items: readonly T[]): { items: T[]; next?: string } {
    const limit = MAX_RESULTS[operation];
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > limit)) this.violation(`${operation}: MaxResults ${input.MaxResults} is outside 1-${limit}`);
    const size = Math.min(input.MaxResults ?? limit, this.options.pageSize ?? limit);
    let offset = 0;
    if (input.NextToken !== undefined) {
      const token = decodeToken(input.NextToken);
      if (!token || token.operation !== operation || token.scope !== scope) this.violation(`${operation}: NextToken ${input.NextToken} was not issued for this call`);
      offset = token.offset;
    }
    const slice = items.slice(offset, offset + size);
    return { items: slice, ...(offset + size < items.length && { next: encodeToken({ operation, scope, offset: offset + size }) }) };
  }

  private listAccounts(input: { NextToken?: string; MaxResults?: number }, context: Context) {
    this.requireReader('ListAccounts', context);
    const { items, next } = this.page('ListAccounts', input, '', this.org.accounts);
    return { Accounts: items.map((a) => this.account(a)), ...(next && { NextToken: next }) };
  }

  private account(a: FakeAccount): Account {
    const state = a.state ?? 'ACTIVE';
    const status = state === 'ACTIVE' || state === 'SUSPENDED' || state === 'PENDING_CLOSURE' ? state : undefined;
    return {
      Id: a.id,
      Arn: `arn:aws:organizations::${this.org.managementAccount}:account/${this.org.organizationId}/${a.id}`,
      Email: a.email ?? `aws+${a.name}@example.com`,
      Name: a.name,
      ...(status && { Status: status }),
      State: state,
      JoinedMethod: a.id === this.org.managementAccount ? 'INVITED' : 'CREATED',
      JoinedTimestamp: JOINED,
    };
  }

  private listParents(input: { ChildId?: string; NextToken?: string; MaxResults?: number }, context: Context) {
    this.requireReader('ListParents', context);
    const child = input.ChildId ?? '';
    if (!CHILD_ID.test(child)) this.violation(`ListParents: ChildId ${child} does not match the documented pattern`);
    const parent = this.org.accounts.find((a) => a.id === child)?.parent ?? this.org.ous.find((o) => o.id === child)?.parent;
    if (!parent) throw new ChildNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.' });
    const { items, next } = this.page('ListParents', input, child, [{ Id: parent, Type: parent === this.org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }]);
    return { Parents: items, ...(next && { NextToken: next }) };
  }

  private listTags(input: { ResourceId?: string; NextToken?: string }, context: Context) {
    this.requireReader('ListTagsForResource', context);
    if (this.tagsDenied) {
      throw new AccessDeniedException({
        $metadata: { httpStatusCode: 400 },
        message: `User: arn:aws:sts::${this.org.managementAccount}:assumed-role/${COVERAGE_READER_ROLE_NAME}/skywatch-onboarding is not authorized to perform: organizations:ListTagsForResource`,
      });
    }
    const account = this.org.accounts.find((a) => a.id === input.ResourceId);
    if (!account) throw new TargetNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'We can\'t find a target with the TargetId that you specified.' });
    const tags = Object.entries(account.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const { items, next } = this.page('ListTagsForResource', input, account.id, tags);
    return { Tags: items, ...(next && { NextToken: next }) };
  }

  private listStackInstances(input: { StackSetName?: string; CallAs?: string; NextToken?: string; MaxResults?: number }, context: Context) {
    this.requireReader('ListStackInstances', context);
    const name = this.org.stackSetName ?? MEMBER_STACK_SET_NAME;
    if (input.CallAs === 'DELEGATED_ADMIN') throw new InvalidOperationException({ $metadata: { httpStatusCode: 400 }, message: 'This operation is not supported for the management account with CallAs DELEGATED_ADMIN' });
    if (input.StackSetName !== name || context.region !== this.org.homeRegion) {
      throw new StackSetNotFoundException({ $metadata: { httpStatusCode: 404 }, message: `StackSet ${String(input.StackSetName)} not found` });
    }
    const summaries = this.org.accounts.flatMap((a) =>
      Object.entries(a.stackInstances ?? {}).sort(([x], [y]) => (x < y ? -1 : 1)).map(([region, spec]): StackInstanceSummary => {
        const instance = typeof spec === 'string' ? { status: spec } : spec;
        const current = instance.status === 'CURRENT';
        return {
          StackSetId: `${name}:6c8e4b2a-1f3d-4e5a-9b7c-0d2e4f6a8b1c`,
          Region: region,
          Account: a.id,
          ...(instance.status !== 'INOPERABLE' && { StackId: `arn:aws:cloudformation:${region}:${a.id}:stack/StackSet-${name}-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/8d7c6b5a-4f3e-2d1c-0b9a-8f7e6d5c4b3a` }),
          Status: instance.status,
          ...(instance.reason && { StatusReason: instance.reason }),
          StackInstanceStatus: { DetailedStatus: (instance.detailedStatus ?? (current ? 'SUCCEEDED' : 'FAILED')) as never },
          OrganizationalUnitId: a.parent,
          DriftStatus: 'NOT_CHECKED',
        };
      }),
    );
    const { items, next } = this.page('ListStackInstances', input, `${name}#${input.CallAs ?? 'SELF'}`, summaries);
    return { Summaries: items, ...(next && { NextToken: next }) };
  }

  private listMembers(input: { OnlyAssociated?: boolean; NextToken?: string; MaxResults?: number }, context: Context) {
    // The administrator lists its members with its own credentials, in the region it administers.
    if (this.issued.has(context.credentials.accessKeyId)) throw new InvalidAccessException({ $metadata: { httpStatusCode: 401 }, message: `Account ${this.org.managementAccount} is not an administrator for this organization`, Code: 'InvalidAccessException' });
    if (context.region !== this.org.homeRegion) throw new HubInvalidInputException({ $metadata: { httpStatusCode: 400 }, message: `The request is rejected: the central account does not administer Security Hub in ${context.region}`, Code: 'InvalidInputException' });
    const members = this.org.accounts
      .filter((a) => a.securityHub !== undefined && a.id !== this.org.centralAccount)
      .filter((a) => input.OnlyAssociated === false || a.securityHub === 'Enabled')
      .map((a): Member => ({
        AccountId: a.id,
        Email: a.email ?? `aws+${a.name}@example.com`,
        MasterId: this.org.centralAccount,
        AdministratorId: this.org.centralAccount,
        MemberStatus: a.securityHub!,
        InvitedAt: JOINED,
        UpdatedAt: JOINED,
      }));
    const { items, next } = this.page('ListMembers', input, String(input.OnlyAssociated ?? true), members);
    return { Members: items, ...(next && { NextToken: next }) };
  }

  private refuseRole(input: { RoleArn?: string }): never {
    throw new STSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:sts::${this.org.centralAccount}:assumed-role/${ONBOARDING_ROLE_NAME}/onboarding is not authorized to perform: sts:AssumeRole on resource: ${String(input.RoleArn)}`,
    });
  }

  private assumeRole(input: { RoleArn?: string; RoleSessionName?: string; DurationSeconds?: number }) {
    if (!ROLE_SESSION_NAME.test(input.RoleSessionName ?? '')) this.violation(`AssumeRole: RoleSessionName ${String(input.RoleSessionName)} does not match the documented pattern`);
    const n = this.issued.size + 1;
    const accessKeyId = `ASIAREADER${String(n).padStart(10, '0')}`;
    const expiration = new Date(this.options.clock.now().getTime() + (input.DurationSeconds ?? 3600) * 1000);
    this.issued.set(accessKeyId, { expiration });
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: `readerSecret/${n}/wJalrXUtnFEMIK7MDENGbPxRfiCY`, SessionToken: `FwoGZXIvYXdzREADER//${n}//IQoJb3JpZ2luX2Vj`, Expiration: expiration },
      AssumedRoleUser: {
        AssumedRoleId: `AROAREADERROLE${n}:${String(input.RoleSessionName)}`,
        Arn: `arn:aws:sts::${this.org.managementAccount}:assumed-role/${COVERAGE_READER_ROLE_NAME}/${String(input.RoleSessionName)}`,
      },
    };
  }

  private callerIdentity() {
    const central = this.org.centralAccount;
    return { UserId: `AROAONBOARDINGROLE01:${ONBOARDING_ROLE_NAME}`, Account: central, Arn: `arn:aws:sts::${central}:assumed-role/${ONBOARDING_ROLE_NAME}/${ONBOARDING_ROLE_NAME}` };
  }
}

function encodeToken(token: { operation: string; scope: string; offset: number }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): { operation: string; scope: string; offset: number } | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString()) as { operation?: unknown; scope?: unknown; offset?: unknown };
    return typeof token.operation === 'string' && typeof token.scope === 'string' && typeof token.offset === 'number' ? (token as { operation: string; scope: string; offset: number }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The demo organization as the fake's description: every account ACTIVE and a Security Hub member
 * (Enabled), with CURRENT instances in every demo region except the management account, which
 * StackSets never deploy to. The `security` account is the central account; accounts carry an
 * `environment` tag from their OU.
 */
export function demoFakeOrganization(demo: DemoOrganization, options: { readonly homeRegion?: string } = {}): FakeOrganization {
  const ouName = new Map(demo.ous.map((o) => [o.name, o.id]));
  const management = demo.accounts.find((a) => a.management)!;
  const central = demo.accounts.find((a) => a.name === 'security')!;
  return {
    organizationId: demo.id,
    rootId: demo.rootId,
    managementAccount: management.id,
    centralAccount: central.id,
    homeRegion: options.homeRegion ?? demo.regions[0]!,
    ous: demo.ous.filter((o) => o.id !== demo.rootId).map((o) => ({ id: o.id, name: o.name, parent: o.parent ? ouName.get(o.parent)! : demo.rootId })),
    accounts: demo.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      email: a.email,
      parent: a.ou.id,
      tags: { environment: a.ou.name.toLowerCase() },
      ...(!a.management && { stackInstances: Object.fromEntries(demo.regions.map((r) => [r, 'CURRENT' as const])) }),
      ...(a.id !== central.id && { securityHub: 'Enabled' }),
    })),
  };
}
