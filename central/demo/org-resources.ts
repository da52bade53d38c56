/** What each demo account holds: VPCs, buckets, keys, secrets, parameters, container repositories. */
import { resourceId } from './aws-ids.js';
import type { Random } from './random.js';
import { DEMO_REGIONS, type DemoRegion } from './regions.js';

/** A VPC with the pieces Terraform and Lambda touch. */
export interface DemoNetwork {
  readonly region: DemoRegion;
  readonly vpcId: string;
  readonly cidr: string;
  readonly subnetIds: readonly string[];
  readonly routeTableId: string;
  readonly securityGroupIds: readonly string[];
  readonly transitGatewayId: string;
}

/** A resource that lives in one region and has an ARN. */
export interface DemoRegional {
  readonly name: string;
  readonly arn: string;
  readonly region: DemoRegion;
}

/** Everything the benign and planted events name in one account. */
export interface AccountResources {
  readonly networks: Readonly<Record<DemoRegion, DemoNetwork>>;
  readonly buckets: readonly DemoRegional[];
  /** One customer-managed KMS key per region; `name` is the key id. */
  readonly keys: Readonly<Record<DemoRegion, DemoRegional>>;
  readonly secrets: readonly DemoRegional[];
  readonly parameters: readonly DemoRegional[];
  readonly repositories: readonly DemoRegional[];
  /** The GuardDuty detector id in each region. */
  readonly detectors: Readonly<Record<DemoRegion, string>>;
}

const SECRETS: Readonly<Record<string, readonly string[]>> = {
  'prod-payments': ['prod/payments/db-credentials', 'prod/payments/stripe-api-key', 'prod/payments/webhook-signing-key'],
  'prod-web': ['prod/web/session-secret', 'prod/web/recaptcha-key'],
  staging: ['staging/payments/db-credentials', 'staging/web/session-secret'],
  'data-analytics': ['analytics/warehouse-credentials'],
  security: ['security/slack-webhook-url'],
  'dev-sandbox': ['dev/scratch/api-token'],
};

const BUCKETS: Readonly<Record<string, readonly string[]>> = {
  management: ['billing-reports', 'terraform-state'],
  security: ['security-findings-export', 'config-snapshots'],
  'log-archive': ['access-logs'],
  'prod-payments': ['payments-statements', 'payments-artifacts'],
  'prod-web': ['web-static-assets', 'web-user-uploads', 'web-artifacts'],
  staging: ['staging-artifacts'],
  'dev-sandbox': ['dev-scratch'],
  'data-analytics': ['analytics-raw', 'analytics-curated', 'athena-results'],
};

/** Builds one account's resources; `index` keeps VPC CIDRs distinct across the organization. */
export function accountResources(rng: Random, account: string, name: string, index: number): AccountResources {
  const network = (region: DemoRegion, i: number): DemoNetwork => ({
    region,
    vpcId: resourceId(rng, 'vpc'),
    cidr: `10.${index * 2 + i}.0.0/16`,
    subnetIds: [resourceId(rng, 'subnet'), resourceId(rng, 'subnet'), resourceId(rng, 'subnet')],
    routeTableId: resourceId(rng, 'rtb'),
    securityGroupIds: [resourceId(rng, 'sg'), resourceId(rng, 'sg'), resourceId(rng, 'sg')],
    transitGatewayId: resourceId(rng, 'tgw'),
  });
  const key = (region: DemoRegion): DemoRegional => {
    const id = rng.uuid();
    return { name: id, region, arn: `arn:aws:kms:${region}:${account}:key/${id}` };
  };
  const regionOf = (i: number): DemoRegion => DEMO_REGIONS[i % DEMO_REGIONS.length]!;
  const suffix = () => rng.chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 6);
  return {
    networks: { 'us-east-1': network('us-east-1', 0), 'eu-west-1': network('eu-west-1', 1) },
    keys: { 'us-east-1': key('us-east-1'), 'eu-west-1': key('eu-west-1') },
    buckets: (BUCKETS[name] ?? []).map((b, i) => {
      const bucket = `example-corp-${b}-${account}`;
      return { name: bucket, region: regionOf(i), arn: `arn:aws:s3:::${bucket}` };
    }),
    secrets: (SECRETS[name] ?? []).map((s, i) => ({
      name: s,
      region: regionOf(i + 1),
      arn: `arn:aws:secretsmanager:${regionOf(i + 1)}:${account}:secret:${s}-${suffix()}`,
    })),
    parameters: [`/${name}/app/config`, `/${name}/app/feature-flags`, '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'].flatMap((p) =>
      DEMO_REGIONS.map((region) => ({ name: p, region, arn: `arn:aws:ssm:${region}:${p.startsWith('/aws/') ? '' : account}:parameter${p}` })),
    ),
    detectors: { 'us-east-1': rng.hex(32), 'eu-west-1': rng.hex(32) },
    repositories: ['prod-payments', 'prod-web', 'staging', 'data-analytics'].includes(name)
      ? DEMO_REGIONS.map((region) => ({ name: `${name}/app`, region, arn: `arn:aws:ecr:${region}:${account}:repository/${name}/app` }))
      : [],
  };
}
