/** Who acts in each demo account: people through IAM Identity Center, CI, Terraform, workloads, services. */
import { privateIp, resourceId, uniqueId } from './aws-ids.js';
import type { Random } from './random.js';
import type { DemoRegion } from './regions.js';
import { BROWSERS, CLI_BASES, REPORTING_JOB } from './user-agents.js';

/** An IAM role. `path` is part of the role ARN but not of its session ARNs. */
export interface DemoRole {
  readonly account: string;
  readonly name: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
}

/** A person who signs in through IAM Identity Center. */
export interface DemoHuman {
  readonly email: string;
  readonly ip: string;
  readonly cli: string;
  readonly browser: string;
  /** Account names where this person uses the AdministratorAccess permission set; ReadOnly elsewhere. */
  readonly adminIn: readonly string[] | 'all';
}

/** A Lambda function and the role it runs as. */
export interface DemoLambda {
  readonly name: string;
  readonly arn: string;
  readonly region: DemoRegion;
  readonly role: DemoRole;
  readonly runtime: 'nodejs20.x' | 'python3.12';
}

/** An EC2 instance with an instance profile. */
export interface DemoInstance {
  readonly id: string;
  readonly region: DemoRegion;
  readonly role: DemoRole;
  readonly privateIp: string;
}

/** A legacy IAM user with long-term access keys. */
export interface DemoIamUser {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly accessKeyId: string;
  readonly ip: string;
  readonly userAgent: string;
}

/** Every principal of one account. */
export interface AccountPrincipals {
  readonly ssoAdmin: DemoRole;
  readonly ssoReadOnly: DemoRole;
  /** Assumed by GitHub Actions through the account's OIDC provider. */
  readonly ci: DemoRole;
  /** Assumed by the CI role to run Terraform. */
  readonly terraform: DemoRole;
  readonly config: DemoRole;
  readonly autoscaling: DemoRole;
  readonly guardduty: DemoRole;
  readonly lambdas: readonly DemoLambda[];
  readonly instances: readonly DemoInstance[];
  readonly users: readonly DemoIamUser[];
  /** The GitHub repository whose workflows deploy here. */
  readonly repository: string;
}

const PEOPLE: ReadonlyArray<{ user: string; os: keyof typeof CLI_BASES; browser: keyof typeof BROWSERS; adminIn: readonly string[] | 'all' }> = [
  { user: 'alice', os: 'macos', browser: 'chromeMac', adminIn: 'all' },
  { user: 'bob', os: 'linux', browser: 'firefoxLinux', adminIn: 'all' },
  { user: 'carol', os: 'macos', browser: 'safariMac', adminIn: ['staging', 'dev-sandbox'] },
  { user: 'dave', os: 'windows', browser: 'edgeWindows', adminIn: ['staging', 'dev-sandbox'] },
  { user: 'erin', os: 'macos', browser: 'chromeMac', adminIn: ['data-analytics'] },
  { user: 'frank', os: 'linux', browser: 'firefoxLinux', adminIn: ['security', 'log-archive'] },
  { user: 'grace', os: 'windows', browser: 'edgeWindows', adminIn: [] },
];

// Office and home egress addresses come from the documentation ranges (RFC 5737); 203.0.113.0/24 is
// left to the planted attackers so an analyst can tell them apart at a glance.
const HUMAN_PREFIXES = ['192.0.2', '198.51.100'];

/** The people of the demo organization. */
export function humans(rng: Random): DemoHuman[] {
  return PEOPLE.map((p, i) => ({
    email: `${p.user}@example.com`,
    ip: `${HUMAN_PREFIXES[i % 2]}.${10 + i * 17 + rng.int(9)}`,
    cli: CLI_BASES[p.os],
    browser: BROWSERS[p.browser],
    adminIn: p.adminIn,
  }));
}

const FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  management: ['account-vending', 'budget-alerts'],
  security: ['guardduty-to-slack', 'securityhub-enricher', 'config-remediator'],
  'log-archive': ['log-forwarder'],
  'prod-payments': ['payments-api', 'payments-webhook', 'ledger-reconcile', 'fraud-score'],
  'prod-web': ['web-ssr', 'image-resize', 'contact-form'],
  staging: ['payments-api-staging', 'web-ssr-staging'],
  'dev-sandbox': ['scratch-etl', 'hello-api'],
  'data-analytics': ['etl-ingest', 'report-builder', 'catalog-crawler-trigger'],
};

const INSTANCES: Readonly<Record<string, number>> = { 'prod-payments': 3, 'prod-web': 4, staging: 2, 'dev-sandbox': 1, 'data-analytics': 2 };

const REPOSITORIES: Readonly<Record<string, string>> = {
  'prod-payments': 'example-corp/payments-service',
  'prod-web': 'example-corp/web-frontend',
  staging: 'example-corp/payments-service',
  'data-analytics': 'example-corp/data-pipelines',
};

/** Builds a role with its unique id and ARN. */
export function role(rng: Random, account: string, name: string, path = '/'): DemoRole {
  return { account, name, path, id: uniqueId(rng, 'AROA'), arn: `arn:aws:iam::${account}:role${path}${name}` };
}

/** The principals of one account. */
export function accountPrincipals(rng: Random, account: string, name: string): AccountPrincipals {
  const sso = '/aws-reserved/sso.amazonaws.com/';
  const regionOf = (i: number): DemoRegion => (i % 2 === 0 ? 'us-east-1' : 'eu-west-1');
  const lambdas = (FUNCTIONS[name] ?? []).map((fn, i): DemoLambda => {
    const region = regionOf(i);
    return {
      name: fn,
      region,
      arn: `arn:aws:lambda:${region}:${account}:function:${fn}`,
      role: role(rng, account, `${fn}-role`, '/service-role/'),
      runtime: i % 3 === 2 ? 'python3.12' : 'nodejs20.x',
    };
  });
  const instanceRole = role(rng, account, `${name}-ec2-role`);
  const instances = Array.from({ length: INSTANCES[name] ?? 0 }, (_, i): DemoInstance => ({
    id: resourceId(rng, 'i'),
    region: regionOf(i),
    role: instanceRole,
    privateIp: privateIp(rng, 20 + i),
  }));
  const users: DemoIamUser[] = [];
  if (name === 'data-analytics') {
    users.push({
      name: 'svc-reporting',
      id: uniqueId(rng, 'AIDA'),
      arn: `arn:aws:iam::${account}:user/svc-reporting`,
      accessKeyId: uniqueId(rng, 'AKIA'),
      ip: '198.51.100.23',
      userAgent: REPORTING_JOB,
    });
  }
  return {
    ssoAdmin: role(rng, account, `AWSReservedSSO_AdministratorAccess_${rng.hex(16)}`, sso),
    ssoReadOnly: role(rng, account, `AWSReservedSSO_ReadOnlyAccess_${rng.hex(16)}`, sso),
    ci: role(rng, account, 'github-actions-deploy'),
    terraform: role(rng, account, 'terraform-execution'),
    config: role(rng, account, 'AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'),
    autoscaling: role(rng, account, 'AWSServiceRoleForAutoScaling', '/aws-service-role/autoscaling.amazonaws.com/'),
    guardduty: role(rng, account, 'AWSServiceRoleForAmazonGuardDuty', '/aws-service-role/guardduty.amazonaws.com/'),
    lambdas,
    instances,
    users,
    repository: REPOSITORIES[name] ?? 'example-corp/infrastructure',
  };
}

/** Whether a person uses the administrator permission set in an account. */
export function isAdminIn(human: DemoHuman, accountName: string): boolean {
  return human.adminIn === 'all' || human.adminIn.includes(accountName);
}
