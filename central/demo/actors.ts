/**
 * Callers: who makes a call and how that shows in a record (identity, source address, user agent,
 * VPC endpoint). Pairing an actor with a CallShape gives a complete record.
 */
import type { CallShape } from './catalog.js';
import { assumedRole, awsService, iamUser, type Json, type RoleSession } from './identity.js';
import type { DemoHuman, DemoIamUser, DemoInstance, DemoLambda, DemoRole } from './org-principals.js';
import type { DemoAccount } from './organization.js';
import { hash32, type Random } from './random.js';
import { cloudTrailRecord, type CloudTrailRecord } from './record.js';
import { AWS_INTERNAL, awsCli, GITHUB_RUNNER_CLI, lambdaNode, LAMBDA_PYTHON, SSM_AGENT, terraform } from './user-agents.js';

/** Who makes a call. */
export interface Actor {
  identity(t: number): Json;
  readonly ip: string;
  agent(shape: CallShape): string;
  /** An AWS service calling: no TLS details, and S3 does not bracket its user agent. */
  readonly service?: boolean;
  readonly vpcEndpoint?: (shape: CallShape) => string;
  readonly console?: boolean;
}

/** Pairs an actor with a call at time `t`. */
export function emit(rng: Random, account: DemoAccount, actor: Actor, shape: CallShape, t: number): CloudTrailRecord {
  const agent = actor.agent(shape);
  return cloudTrailRecord(rng, {
    time: t,
    account: account.id,
    region: shape.region,
    source: shape.source,
    name: shape.name,
    identity: actor.identity(t),
    sourceIp: actor.ip,
    // S3 writes SDK user agents in square brackets.
    userAgent: shape.source === 's3.amazonaws.com' && !actor.service ? `[${agent}]` : agent,
    request: shape.request,
    response: shape.response,
    readOnly: shape.readOnly,
    errorCode: shape.errorCode,
    errorMessage: shape.errorMessage,
    additional: shape.additional,
    resources: shape.resources,
    host: actor.service ? null : shape.host,
    vpcEndpointId: actor.vpcEndpoint?.(shape),
    console: actor.console,
    shared: shape.shared,
    eventType: shape.eventType,
    serviceEventDetails: shape.serviceEventDetails,
  });
}

/** The service part of an event source: `ec2` for `ec2.amazonaws.com`. */
export function serviceOf(shape: CallShape): string {
  return shape.source.slice(0, shape.source.indexOf('.'));
}

/** The CLI's `md/command#` suffix for a call: `ec2.describe-instances`. */
export function cliCommand(shape: CallShape): string {
  const service = serviceOf(shape);
  const op = shape.name.replace(/20150331(v2)?$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  return `${service === 's3' ? 's3api' : service}.${op}`;
}

const SDK_API_VERSIONS: Readonly<Record<string, string>> = {
  ec2: '1.187.0', iam: '1.37.4', s3: '1.67.0', sts: '1.32.4', kms: '1.37.5', lambda: '1.64.3', logs: '1.43.3', ssm: '1.55.5', cloudformation: '1.55.5',
};

/** The `api/ec2#1.187.0` part of a Go SDK v2 user agent. */
export function sdkApi(shape: CallShape): string {
  const service = serviceOf(shape);
  return `${service}#${SDK_API_VERSIONS[service] ?? '1.24.6'}`;
}

/** A stable interface-endpoint id for a service in an account's VPC. */
export function vpcEndpointFor(accountId: string, shape: CallShape): string {
  const h = hash32(`${accountId}|${shape.region}|${shape.source}`);
  return `vpce-0${h.toString(16).padStart(8, '0')}${((h ^ 0x5bd1e995) >>> 0).toString(16).padStart(8, '0')}`;
}

/** A service calling with its service-linked role (Config describing resources, Auto Scaling launching). */
export function serviceLinked(role: DemoRole, service: string, sessionName: string): Actor {
  return { identity: (t) => assumedRole(role, sessionName, t, { invokedBy: service }), ip: service, agent: () => service, service: true };
}

/** A service calling with another principal's session (KMS via S3 or Secrets Manager, ENIs via Lambda). */
export function onBehalfOf(caller: Actor, service: string): Actor {
  return { identity: (t) => ({ ...caller.identity(t), invokedBy: service }), ip: service, agent: () => service, service: true };
}

/** A service acting as itself (`userIdentity.type: AWSService`). */
export function serviceItself(service: string): Actor {
  return { identity: () => awsService(service), ip: service, agent: () => service, service: true };
}

/** A Lambda function calling with its execution role; VPC functions reach AWS through endpoints. */
export function lambdaActor(fn: DemoLambda, account: DemoAccount): Actor {
  const inVpc = account.principals.instances.length > 0;
  const h = hash32(fn.arn);
  const ip = inVpc ? `10.${40 + (h % 8)}.${(h >>> 8) % 64}.${4 + ((h >>> 16) % 240)}` : `198.51.100.${200 + (h % 50)}`;
  return {
    identity: (t) => assumedRole(fn.role, fn.name, t),
    ip,
    agent: (shape) => (fn.runtime === 'python3.12' ? LAMBDA_PYTHON : lambdaNode(`${serviceOf(shape)}#3.654.0`)),
    vpcEndpoint: inVpc ? (shape) => vpcEndpointFor(account.id, shape) : undefined,
  };
}

/** An EC2 instance's SSM agent or application, through the VPC's interface endpoints. */
export function instanceActor(instance: DemoInstance, account: DemoAccount, agent = SSM_AGENT): Actor {
  return {
    identity: (t) => assumedRole(instance.role, instance.id, t, { ec2: true, sessionHours: 6 }),
    ip: instance.privateIp,
    agent: () => agent,
    vpcEndpoint: (shape) => vpcEndpointFor(account.id, shape),
  };
}

/** A person in an IAM Identity Center session, from the CLI or the console. */
export function personActor(human: DemoHuman, role: DemoRole, console: boolean): Actor {
  return {
    identity: (t) => assumedRole(role, human.email, t, { sso: true, sessionHours: 8 }),
    ip: human.ip,
    agent: (shape) => (console ? (shape.source === 'health.amazonaws.com' ? AWS_INTERNAL : human.browser) : awsCli(human.cli, cliCommand(shape))),
    console: console || undefined,
  };
}

/** A GitHub Actions job in its web-identity session. */
export function ciActor(account: DemoAccount, session: RoleSession, runnerIp: string): Actor {
  const provider = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
  return {
    identity: (t) => assumedRole(account.principals.ci, 'GitHubActions', t, { webIdentityProvider: provider, session }),
    ip: runnerIp,
    agent: (shape) => awsCli(GITHUB_RUNNER_CLI, cliCommand(shape)),
  };
}

/** Terraform running in CI with the account's execution role. */
export function terraformActor(account: DemoAccount, session: RoleSession, sessionName: string, runnerIp: string): Actor {
  return {
    identity: (t) => assumedRole(account.principals.terraform, sessionName, t, { session }),
    ip: runnerIp,
    agent: (shape) => terraform(sdkApi(shape)),
  };
}

/** A legacy IAM user calling with its access key. */
export function iamUserActor(user: DemoIamUser, account: DemoAccount): Actor {
  return { identity: () => iamUser(user, account.id), ip: user.ip, agent: () => user.userAgent };
}
