/**
 * People and the odd legacy job: IAM Identity Center console and CLI sessions, the reporting job that
 * still uses an IAM user's keys, and the failed calls every real trail has (a read-only user opening
 * a page they may not see).
 */
import { emit, iamUserActor, personActor, type Actor } from './actors.js';
import { Burst, regionFor, type Activity, type Ctx } from './benign-kit.js';
import { callerIdentity, cloudFormationRead, EC2_READS, iamRead, kmsRead, lambdaRead, listBuckets, logsRead, s3Read, type CallShape } from './catalog.js';
import { assumedRole } from './identity.js';
import { isAdminIn, type DemoHuman } from './org-principals.js';
import type { DemoAccount } from './organization.js';
import { hash32 } from './random.js';
import { isoSeconds } from './time.js';
import { AWS_INTERNAL } from './user-agents.js';

function personIn(ctx: Ctx): { human: DemoHuman; account: DemoAccount; admin: boolean } {
  const human = ctx.rng.pick(ctx.org.humans);
  const account = ctx.pools.accounts.pick(ctx.rng);
  return { human, account, admin: isAdminIn(human, account.name) };
}

function everydayRead(ctx: Ctx, account: DemoAccount): CallShape | undefined {
  const { rng } = ctx;
  const region = regionFor(rng, account);
  switch (rng.int(12)) {
    case 0: case 1: case 2: case 3: return rng.pick(Object.values(EC2_READS))(rng, account, region);
    case 4: return listBuckets(rng);
    case 5: case 6: return s3Read(rng, account);
    case 7: return logsRead(rng, account, region);
    case 8: return lambdaRead(rng, account, region);
    case 9: return cloudFormationRead(rng, account, region);
    case 10: return iamRead(rng, account);
    default: return kmsRead(rng, account, region);
  }
}

/** A federated console sign-in (MFA at Identity Center), then a few pages' worth of reads. */
export const consoleSession: Activity = (ctx) => {
  const { rng } = ctx;
  const { human, account, admin } = personIn(ctx);
  const role = admin ? account.principals.ssoAdmin : account.principals.ssoReadOnly;
  const burst = new Burst(ctx, account);
  // Identity Center sessions last eight hours, so only some console visits start with a sign-in.
  if (rng.chance(0.4)) identityCenterSignIn(ctx, human, burst);
  const samlProvider = `arn:aws:iam::${account.id}:saml-provider/AWSSSO_${(hash32(account.id) >>> 0).toString(16).padStart(8, '0')}${(hash32(account.name) >>> 0).toString(16).padStart(8, '0')}_DO_NOT_DELETE`;
  const signIn: Actor = {
    // The sign-in itself carries no access key: the console session's key is issued by it.
    identity: (t) => {
      const { accessKeyId: _key, ...identity } = assumedRole(role, human.email, t, { sso: true, session: { accessKeyId: '', creationDate: isoSeconds(t) } });
      return identity;
    },
    ip: human.ip,
    agent: () => human.browser,
  };
  burst.add(signIn, {
    source: 'signin.amazonaws.com',
    name: 'ConsoleLogin',
    region: 'us-east-1',
    readOnly: false,
    request: null,
    response: { ConsoleLogin: 'Success' },
    additional: { MobileVersion: 'No', MFAUsed: 'Yes', SamlProviderArn: samlProvider },
    eventType: 'AwsConsoleSignIn',
    host: null,
  }, 2000, 9000);
  const console = personActor(human, role, true);
  const backend: Actor = { ...console, ip: AWS_INTERNAL, agent: () => AWS_INTERNAL };
  burst.add(backend, { source: 'health.amazonaws.com', name: 'DescribeEventAggregates', region: 'us-east-1', readOnly: true, request: { aggregateField: 'eventTypeCategory', filter: { eventStatusCodes: ['open', 'upcoming'] } } });
  for (let i = rng.between(2, 9); i > 0; i--) burst.add(console, everydayRead(ctx, account), 1500, 25000);
  return burst.records;
};

/**
 * Signing in to the Identity Center portal (password, then a security key) is logged as service
 * events in the management account, before any account is chosen.
 */
function identityCenterSignIn(ctx: Ctx, human: DemoHuman, burst: Burst): void {
  const management = ctx.org.accounts.find((a) => a.management)!;
  const workflow = ctx.rng.uuid();
  const user: Actor = {
    identity: () => ({ type: 'Unknown', principalId: management.id, arn: '', accountId: management.id, accessKeyId: '', userName: human.email }),
    ip: human.ip,
    agent: () => human.browser,
  };
  const step = (name: string, credential?: string) =>
    burst.push(emit(ctx.rng, management, user, {
      source: 'signin.amazonaws.com',
      name,
      region: 'us-east-1',
      readOnly: false,
      request: null,
      additional: credential ? { AuthWorkflowID: workflow, CredentialType: credential } : { AuthWorkflowID: workflow, LoginTo: 'https://d-9067c4b2a1.awsapps.com/start/' },
      eventType: 'AwsServiceEvent',
      serviceEventDetails: { [name]: 'Success' },
      host: null,
    }, burst.now), 2000, 12000);
  step('CredentialChallenge', 'PASSWORD');
  step('CredentialVerification', 'PASSWORD');
  step('CredentialChallenge', 'WEBAUTHN');
  step('CredentialVerification', 'WEBAUTHN');
  step('UserAuthentication');
}

/** Someone at a terminal: `aws sts get-caller-identity`, then a handful of reads. */
export const cliSession: Activity = (ctx) => {
  const { rng } = ctx;
  const { human, account, admin } = personIn(ctx);
  const actor = personActor(human, admin ? account.principals.ssoAdmin : account.principals.ssoReadOnly, false);
  const burst = new Burst(ctx, account);
  if (rng.chance(0.6)) burst.add(actor, callerIdentity(regionFor(rng, account)), 1500, 20000);
  for (let i = rng.between(1, 7); i > 0; i--) burst.add(actor, everydayRead(ctx, account), 1500, 40000);
  return burst.records;
};

/** The legacy reporting job: an IAM user's long-term keys, an Athena query, polling for the result. */
export const reportingJob: Activity = (ctx) => {
  const { rng, org } = ctx;
  const account = org.accounts.find((a) => a.principals.users.length > 0)!;
  const actor = iamUserActor(account.principals.users[0]!, account);
  const results = account.resources.buckets.find((b) => b.name.includes('athena-results')) ?? account.resources.buckets[0]!;
  const region = results.region;
  const burst = new Burst(ctx, account).add(actor, callerIdentity('us-east-1')).add(actor, listBuckets(rng));
  const queryId = rng.uuid();
  burst.add(actor, {
    source: 'athena.amazonaws.com',
    name: 'StartQueryExecution',
    region,
    readOnly: false,
    request: {
      queryString: 'SELECT order_day, sum(amount) FROM curated.payments_daily WHERE order_day >= current_date - interval \'7\' day GROUP BY 1',
      clientRequestToken: rng.uuid(),
      queryExecutionContext: { database: 'curated' },
      resultConfiguration: { outputLocation: `s3://${results.name}/reports/` },
      workGroup: 'primary',
    },
    response: { queryExecutionId: queryId },
  });
  for (let i = rng.between(1, 4); i > 0; i--) {
    burst.add(actor, { source: 'athena.amazonaws.com', name: 'GetQueryExecution', region, readOnly: true, request: { queryExecutionId: queryId } }, 1000, 4000);
  }
  return burst.records;
};

/** The platform team and the account-vending function look at the organization. */
export const organizationReads: Activity = (ctx) => {
  const { rng, org } = ctx;
  const management = org.accounts.find((a) => a.management)!;
  const admins = org.humans.filter((h) => h.adminIn === 'all');
  const actor = personActor(rng.pick(admins), management.principals.ssoAdmin, rng.chance(0.5));
  const names = ['DescribeOrganization', 'ListAccounts', 'ListOrganizationalUnitsForParent', 'ListAccountsForParent', 'DescribeAccount'];
  const burst = new Burst(ctx, management);
  for (let i = rng.between(1, 3); i > 0; i--) {
    const name = rng.pick(names);
    const request = name === 'DescribeAccount'
      ? { accountId: rng.pick(org.accounts).id }
      : name.endsWith('ForParent') ? { parentId: rng.pick(org.ous).id } : null;
    burst.add(actor, { source: 'organizations.amazonaws.com', name, region: 'us-east-1', readOnly: true, request }, 1000, 12000);
  }
  return burst.records;
};

/** Read-only people reach pages their permission set does not cover; CloudTrail logs the denial. */
export const deniedRead: Activity = (ctx) => {
  const { rng } = ctx;
  const { human, account } = personIn(ctx);
  const role = account.principals.ssoReadOnly;
  const who = `arn:aws:sts::${account.id}:assumed-role/${role.name}/${human.email}`;
  const region = regionFor(rng, account);
  const kind = rng.int(3);
  const shape: CallShape =
    kind === 0
      ? { source: 'ce.amazonaws.com', name: 'GetCostAndUsage', region: 'us-east-1', readOnly: true, request: { granularity: 'MONTHLY', metrics: ['UnblendedCost'] }, errorCode: 'AccessDenied', errorMessage: `User: ${who} is not authorized to perform: ce:GetCostAndUsage on resource: arn:aws:ce:us-east-1:${account.id}:/GetCostAndUsage because no identity-based policy allows the ce:GetCostAndUsage action` }
      : kind === 1
        ? { source: 'ssm.amazonaws.com', name: 'GetParameter', region, readOnly: true, request: { name: `/${account.name}/app/config`, withDecryption: true }, errorCode: 'AccessDenied', errorMessage: `User: ${who} is not authorized to perform: kms:Decrypt on resource: ${account.resources.keys[region].arn} because no identity-based policy allows the kms:Decrypt action` }
        : { source: 'cloudshell.amazonaws.com', name: 'CreateEnvironment', region, readOnly: false, request: null, errorCode: 'AccessDenied', errorMessage: `User: ${who} is not authorized to perform: cloudshell:CreateEnvironment on resource: arn:aws:cloudshell:${region}:${account.id}:environment/* because no identity-based policy allows the cloudshell:CreateEnvironment action` };
  return new Burst(ctx, account).add(personActor(human, role, kind !== 1), shape).records;
};
