/**
 * Delivery pipelines: GitHub Actions federating in with OIDC, deploying Lambda code, and Terraform
 * planning (reads) and applying (narrow, ordinary writes). Writes here are what a healthy platform
 * team ships every day: log groups, least-privilege inline policies, HTTPS-only ingress, tags, routes.
 */
import { ciActor, terraformActor, type Actor } from './actors.js';
import { newSessionKey } from './identity.js';
import { assumeRoleResponse, Burst, regionFor, stsHost, type Activity, type Ctx } from './benign-kit.js';
import { callerIdentity, cloudFormationRead, EC2_READS, iamRead, kmsRead, lambdaRead, logsRead, s3Read, type CallShape } from './catalog.js';
import type { DemoAccount } from './organization.js';
import { isoSeconds } from './time.js';
import { GITHUB_CONFIGURE_CREDENTIALS } from './user-agents.js';
import { terraformWrites } from './benign-writes.js';

/** GitHub-hosted runners egress from many addresses; the demo keeps them in one documentation block. */
function runnerIp(ctx: Ctx): string {
  return `198.51.100.${ctx.rng.between(128, 190)}`;
}

/** Starts a CI job: OIDC federation and the credential check configure-aws-credentials makes. */
function federate(ctx: Ctx, account: DemoAccount, burst: Burst, ip: string): Actor {
  const { rng } = ctx;
  const role = account.principals.ci;
  const region = regionFor(rng, account);
  const provider = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
  const subject = `repo:${account.principals.repository}:ref:refs/heads/main`;
  const session = { accessKeyId: newSessionKey(rng), creationDate: isoSeconds(burst.now) };
  const federation = {
    identity: () => ({ type: 'WebIdentityUser', principalId: `${provider}:sts.amazonaws.com:${subject}`, userName: subject, identityProvider: provider }),
    ip,
    agent: () => GITHUB_CONFIGURE_CREDENTIALS,
  };
  const response = {
    ...assumeRoleResponse(rng, role, 'GitHubActions', session.accessKeyId, burst.now),
    subjectFromWebIdentityToken: subject,
    provider,
    audience: 'sts.amazonaws.com',
  };
  burst.add(federation, {
    source: 'sts.amazonaws.com',
    name: 'AssumeRoleWithWebIdentity',
    region,
    readOnly: true,
    request: { roleArn: role.arn, roleSessionName: 'GitHubActions', durationSeconds: 3600 },
    response,
    additional: { identityProviderConnectionVerificationMethod: 'IAMTrustStore' },
    resources: [{ accountId: account.id, type: 'AWS::IAM::Role', ARN: role.arn }],
    host: stsHost(region),
  }, 300, 1500);
  const ci = ciActor(account, session, ip);
  burst.add({ ...ci, agent: () => GITHUB_CONFIGURE_CREDENTIALS }, callerIdentity(region), 800, 4000);
  return ci;
}

/** An application deploy: registry login, stack status, and now and then new function code. */
export const ciDeploy: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const account = pools.accounts.pick(rng);
  const burst = new Burst(ctx, account);
  const ci = federate(ctx, account, burst, runnerIp(ctx));
  const region = regionFor(rng, account);
  const repo = account.resources.repositories.find((r) => r.region === region);
  if (repo) burst.add(ci, { source: 'ecr.amazonaws.com', name: 'GetAuthorizationToken', region, readOnly: true, request: null }, 5000, 40000);
  for (let i = rng.between(1, 3); i > 0; i--) burst.add(ci, cloudFormationRead(rng, account, region), 2000, 15000);
  const fns = account.principals.lambdas.filter((l) => l.region === region);
  if (fns.length > 0) {
    const fn = rng.pick(fns);
    burst.add(ci, { source: 'lambda.amazonaws.com', name: 'GetFunction20150331v2', region, readOnly: true, request: { functionName: fn.name } });
    if (rng.chance(0.25)) {
      const key = `${fn.name}/${rng.hex(40)}.zip`;
      burst.add(ci, {
        source: 'lambda.amazonaws.com',
        name: 'UpdateFunctionCode20150331v2',
        region,
        readOnly: false,
        request: { functionName: fn.name, s3Bucket: `example-corp-deploy-artifacts-${account.id}-${region}`, s3Key: key, publish: true, dryRun: false },
        response: { functionName: fn.name, functionArn: `${fn.arn}:${rng.between(12, 140)}`, runtime: fn.runtime, role: fn.role.arn, handler: 'index.handler', codeSize: rng.between(400_000, 9_000_000), state: 'Pending', lastUpdateStatus: 'InProgress' },
      }, 2000, 6000);
      burst.add(ci, { source: 'lambda.amazonaws.com', name: 'GetFunctionConfiguration20150331v2', region, readOnly: true, request: { functionName: fn.name } });
    }
  }
  return burst.records;
};

/** Terraform plans: the CI role assumes the execution role, then reads what the configuration manages. */
function terraformSession(ctx: Ctx, account: DemoAccount, burst: Burst): Actor {
  const { rng } = ctx;
  const ip = runnerIp(ctx);
  const ci = federate(ctx, account, burst, ip);
  const role = account.principals.terraform;
  const sessionName = `terraform-${rng.between(11_000_000_000, 11_999_999_999)}`;
  const session = { accessKeyId: newSessionKey(rng), creationDate: isoSeconds(burst.now) };
  burst.add({ ...ci, agent: (s) => terraformActor(account, session, sessionName, ip).agent(s) }, {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    region: 'us-east-1',
    readOnly: true,
    request: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
    response: assumeRoleResponse(rng, role, sessionName, session.accessKeyId, burst.now),
    resources: [{ accountId: account.id, type: 'AWS::IAM::Role', ARN: role.arn }],
    host: 'sts.amazonaws.com',
  });
  const tf = terraformActor(account, session, sessionName, ip);
  burst.add(tf, callerIdentity('us-east-1'));
  return tf;
}

/** The reads of a `terraform plan`, spread over the account's resource types. */
function planReads(ctx: Ctx, account: DemoAccount, tf: Actor, burst: Burst, n: number): void {
  const { rng } = ctx;
  const ec2Read = () => rng.pick(Object.values(EC2_READS))(rng, account, regionFor(rng, account));
  const reads: Array<() => CallShape | undefined> = [
    ec2Read,
    ec2Read,
    ec2Read,
    () => iamRead(rng, account),
    () => iamRead(rng, account),
    () => s3Read(rng, account),
    () => s3Read(rng, account),
    () => kmsRead(rng, account, regionFor(rng, account)),
    () => logsRead(rng, account, regionFor(rng, account)),
    () => lambdaRead(rng, account, regionFor(rng, account)),
  ];
  for (let i = 0; i < n; i++) burst.add(tf, rng.pick(reads)(), 40, 700);
}

/** A plan on a pull request, or the nightly drift check. */
export const terraformPlan: Activity = (ctx) => {
  const account = ctx.pools.accounts.pick(ctx.rng);
  const burst = new Burst(ctx, account);
  const tf = terraformSession(ctx, account, burst);
  planReads(ctx, account, tf, burst, ctx.rng.between(6, 14));
  return burst.records;
};

/** A merged change: a short refresh, then one to three ordinary changes. */
export const terraformApply: Activity = (ctx) => {
  const { rng } = ctx;
  const account = ctx.pools.accounts.pick(rng);
  const burst = new Burst(ctx, account);
  const tf = terraformSession(ctx, account, burst);
  planReads(ctx, account, tf, burst, rng.between(3, 6));
  terraformWrites(ctx, account, tf, burst, rng.between(1, 3));
  return burst.records;
};
