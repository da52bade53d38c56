/**
 * The changes Terraform applies in the demo. Each is deliberately ordinary: a reviewer would approve
 * it, and no HIGH rule should fire on it (narrow policies, HTTPS-only world ingress, database access
 * from inside the VPC). A new route is the kind of network change a LOW/MEDIUM rule may report.
 */
import type { Actor } from './actors.js';
import { resourceId } from './aws-ids.js';
import { regionFor, type Burst, type Ctx } from './benign-kit.js';
import { s3Bucket, type CallShape } from './catalog.js';
import type { Json } from './identity.js';
import type { DemoAccount } from './organization.js';
import type { DemoRegion } from './regions.js';

type Change = (ctx: Ctx, account: DemoAccount, region: DemoRegion) => CallShape[];

const logGroup: Change = (ctx, account, region) => {
  const name = `/app/${account.name}/${ctx.rng.pick(['api', 'worker', 'audit', 'jobs'])}`;
  return [{ source: 'logs.amazonaws.com', name: 'CreateLogGroup', region, readOnly: false, request: { logGroupName: name, tags: { 'managed-by': 'terraform' } } }];
};

const inlinePolicy: Change = (ctx, account) => {
  const fn = ctx.rng.pick(account.principals.lambdas);
  const document = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'ReadAppConfig', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:${fn.region}:${account.id}:parameter/${account.name}/app/*` }],
  };
  // IAM logs policy documents as JSON text, not as an object.
  return [{ source: 'iam.amazonaws.com', name: 'PutRolePolicy', region: 'us-east-1', readOnly: false, request: { roleName: fn.role.name, policyName: 'read-app-config', policyDocument: JSON.stringify(document) } }];
};

/** The request and response of one ingress rule, in EC2's `ipPermissions.items` shape. */
function ingress(ctx: Ctx, account: DemoAccount, groupId: string, port: number, cidr: string, description: string): { request: Json; response: Json } {
  return {
    request: {
      groupId,
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: { items: [{ cidrIp: cidr, description }] }, ipv6Ranges: {}, prefixListIds: {} }] },
    },
    response: {
      requestId: ctx.rng.uuid(),
      _return: true,
      securityGroupRuleSet: {
        items: [{ groupOwnerId: account.id, groupId, securityGroupRuleId: resourceId(ctx.rng, 'sgr'), isEgress: false, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: cidr, description }],
      },
    },
  };
}

const securityGroups: Change = (ctx, account, region) => {
  const network = account.resources.networks[region];
  const alb = resourceId(ctx.rng, 'sg');
  const db = resourceId(ctx.rng, 'sg');
  const create = (groupId: string, groupName: string, groupDescription: string): CallShape => ({
    source: 'ec2.amazonaws.com',
    name: 'CreateSecurityGroup',
    region,
    readOnly: false,
    request: { groupName, groupDescription, vpcId: network.vpcId, tagSpecificationSet: { items: [{ resourceType: 'security-group', tags: [{ key: 'managed-by', value: 'terraform' }] }] } },
    response: { requestId: ctx.rng.uuid(), _return: true, groupId, securityGroupArn: `arn:aws:ec2:${region}:${account.id}:security-group/${groupId}` },
  });
  const web = ingress(ctx, account, alb, 443, '0.0.0.0/0', 'HTTPS from the internet');
  const postgres = ingress(ctx, account, db, 5432, network.cidr, 'PostgreSQL from the VPC');
  return [
    create(alb, `${account.name}-alb`, 'Public load balancer'),
    { source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', region, readOnly: false, ...web },
    create(db, `${account.name}-db`, 'Database, reachable from the VPC only'),
    { source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', region, readOnly: false, ...postgres },
  ];
};

const bucketTags: Change = (ctx, account) => {
  if (account.resources.buckets.length === 0) return [];
  const bucket = ctx.rng.pick(account.resources.buckets);
  const Tagging = {
    xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
    TagSet: { Tag: [{ Key: 'team', Value: account.name.split('-')[0] }, { Key: 'managed-by', Value: 'terraform' }] },
  };
  return [s3Bucket(ctx.rng, account, bucket, 'PutBucketTagging', 'tagging', false, { Tagging })];
};

const route: Change = (ctx, account, region) => {
  const network = account.resources.networks[region];
  const destination = `10.${ctx.rng.between(64, 95)}.0.0/16`;
  return [
    {
      source: 'ec2.amazonaws.com',
      name: 'CreateRoute',
      region,
      readOnly: false,
      request: { routeTableId: network.routeTableId, destinationCidrBlock: destination, transitGatewayId: network.transitGatewayId },
      response: { requestId: ctx.rng.uuid(), _return: true },
    },
  ];
};

const tags: Change = (ctx, account, region) => {
  const network = account.resources.networks[region];
  return [
    {
      source: 'ec2.amazonaws.com',
      name: 'CreateTags',
      region,
      readOnly: false,
      request: { resourcesSet: { items: [{ resourceId: ctx.rng.pick(network.subnetIds) }] }, tagSet: { items: [{ key: 'tier', value: ctx.rng.pick(['private', 'public', 'data']) }] } },
      response: { requestId: ctx.rng.uuid(), _return: true },
    },
  ];
};

const CHANGES: ReadonlyArray<readonly [Change, number]> = [
  [logGroup, 3],
  [inlinePolicy, 2],
  [securityGroups, 1],
  [bucketTags, 2],
  [route, 0.2],
  [tags, 3],
];

/** Applies `n` changes picked by how often platform teams make them. */
export function terraformWrites(ctx: Ctx, account: DemoAccount, tf: Actor, burst: Burst, n: number): void {
  const total = CHANGES.reduce((s, [, w]) => s + w, 0);
  for (let i = 0; i < n; i++) {
    let x = ctx.rng.next() * total;
    const change = CHANGES.find(([, w]) => (x -= w) < 0)?.[0] ?? tags;
    if (change === inlinePolicy && account.principals.lambdas.length === 0) continue;
    for (const shape of change(ctx, account, regionFor(ctx.rng, account))) burst.add(tf, shape, 300, 3000);
  }
}
