/**
 * The service side of common calls: event source, name, and request parameters shaped the way each
 * service logs them (EC2's `items` sets, S3's Host and empty sub-resource keys, Lambda's versioned
 * event names). Who calls, from where, is added by the actor.
 */
import { base64 } from './aws-ids.js';
import type { Json } from './identity.js';
import type { DemoAccount } from './organization.js';
import type { Random } from './random.js';
import type { DemoRegion, TrailRegion } from './regions.js';

/** The service half of an API call. */
export interface CallShape {
  readonly source: string;
  readonly name: string;
  readonly region: TrailRegion;
  readonly readOnly: boolean;
  readonly request?: Json | null;
  readonly response?: Json | null;
  readonly resources?: readonly Json[];
  readonly host?: string | null;
  readonly additional?: Json;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Calls a service makes for an account carry a sharedEventID. */
  readonly shared?: boolean;
  readonly eventType?: 'AwsApiCall' | 'AwsServiceEvent' | 'AwsConsoleSignIn';
  readonly serviceEventDetails?: Json;
}

/** Builds a read call's shape for an account and region. */
export type ReadShape = (rng: Random, account: DemoAccount, region: DemoRegion) => CallShape;

const vpcFilter = (vpcId: string) => ({ items: [{ name: 'vpc-id', valueSet: { items: [{ value: vpcId }] } }] });

/** Reads EC2 clients make constantly. */
export const EC2_READS: Readonly<Record<string, ReadShape>> = {
  DescribeInstances: (_r, _a, region) => ec2(region, 'DescribeInstances', { instancesSet: {}, filterSet: {} }),
  DescribeInstanceStatus: (_r, _a, region) => ec2(region, 'DescribeInstanceStatus', { instancesSet: {}, filterSet: {}, includeAllInstances: false }),
  DescribeSecurityGroups: (_r, a, region) =>
    ec2(region, 'DescribeSecurityGroups', { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: vpcFilter(a.resources.networks[region].vpcId) }),
  DescribeVpcs: (_r, a, region) => ec2(region, 'DescribeVpcs', { vpcSet: { items: [{ vpcId: a.resources.networks[region].vpcId }] }, filterSet: {} }),
  DescribeSubnets: (_r, a, region) => ec2(region, 'DescribeSubnets', { subnetSet: {}, filterSet: vpcFilter(a.resources.networks[region].vpcId) }),
  DescribeNetworkInterfaces: (_r, _a, region) => ec2(region, 'DescribeNetworkInterfaces', { networkInterfaceIdSet: {}, filterSet: {} }),
  DescribeVolumes: (_r, _a, region) => ec2(region, 'DescribeVolumes', { volumeSet: {}, filterSet: {} }),
  DescribeRouteTables: (_r, a, region) => ec2(region, 'DescribeRouteTables', { routeTableIdSet: {}, filterSet: vpcFilter(a.resources.networks[region].vpcId) }),
};

function ec2(region: DemoRegion, name: string, request: Json): CallShape {
  return { source: 'ec2.amazonaws.com', name, region, readOnly: true, request };
}

/** An S3 bucket-level call: S3 logs the bucket, the virtual-host Host and an empty sub-resource key. */
export function s3Bucket(rng: Random, account: DemoAccount, bucket: { name: string; arn: string; region: DemoRegion }, name: string, subresource: string, readOnly = true, extra: Json = {}): CallShape {
  return {
    source: 's3.amazonaws.com',
    name,
    region: bucket.region,
    readOnly,
    request: { bucketName: bucket.name, Host: `${bucket.name}.s3.${bucket.region}.amazonaws.com`, [subresource]: '', ...extra },
    additional: s3Additional(rng),
    resources: [{ accountId: account.id, type: 'AWS::S3::Bucket', ARN: bucket.arn }],
  };
}

/** S3's additionalEventData: signature, TLS and byte counts. */
export function s3Additional(rng: Random, bytesOut = 0): Json {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': base64(rng, 56) + '=',
    bytesTransferredOut: bytesOut,
  };
}

/** ListBuckets goes to the global endpoint and is recorded in us-east-1. */
export function listBuckets(rng: Random): CallShape {
  return { source: 's3.amazonaws.com', name: 'ListBuckets', region: 'us-east-1', readOnly: true, request: { Host: 's3.amazonaws.com' }, additional: s3Additional(rng, 1843) };
}

const S3_BUCKET_READS: ReadonlyArray<readonly [string, string]> = [
  ['GetBucketAcl', 'acl'],
  ['GetBucketLocation', 'location'],
  ['GetBucketVersioning', 'versioning'],
  ['GetBucketEncryption', 'encryption'],
  ['GetBucketPublicAccessBlock', 'publicAccessBlock'],
  ['GetBucketTagging', 'tagging'],
];

/** A bucket-level read on one of the account's buckets; GetBucketPolicy fails as S3 logs a missing policy. */
export function s3Read(rng: Random, account: DemoAccount): CallShape | undefined {
  if (account.resources.buckets.length === 0) return undefined;
  const bucket = rng.pick(account.resources.buckets);
  if (rng.chance(0.12)) {
    return { ...s3Bucket(rng, account, bucket, 'GetBucketPolicy', 'policy'), errorCode: 'NoSuchBucketPolicy', errorMessage: 'The bucket policy does not exist' };
  }
  const [name, sub] = rng.pick(S3_BUCKET_READS);
  return s3Bucket(rng, account, bucket, name, sub);
}

/** IAM reads, always recorded in us-east-1. */
export function iamRead(rng: Random, account: DemoAccount): CallShape {
  const p = account.principals;
  const roleName = rng.pick([p.ci.name, p.terraform.name, ...p.lambdas.map((l) => l.role.name)]);
  const which = rng.int(5);
  const base = { source: 'iam.amazonaws.com', region: 'us-east-1' as const, readOnly: true };
  if (which === 0) return { ...base, name: 'GetRole', request: { roleName } };
  if (which === 1) return { ...base, name: 'ListAttachedRolePolicies', request: { roleName } };
  if (which === 2) return { ...base, name: 'ListRolePolicies', request: { roleName } };
  if (which === 3) return { ...base, name: 'GetPolicy', request: { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } };
  return { ...base, name: 'ListRoles', request: { maxItems: 100 } };
}

/** KMS key metadata reads. */
export function kmsRead(rng: Random, account: DemoAccount, region: DemoRegion): CallShape {
  const key = account.resources.keys[region];
  const name = rng.pick(['DescribeKey', 'GetKeyRotationStatus', 'GetKeyPolicy']);
  const request: Json = name === 'GetKeyPolicy' ? { keyId: key.arn, policyName: 'default' } : { keyId: key.arn };
  return { source: 'kms.amazonaws.com', name, region, readOnly: true, request, resources: [{ accountId: account.id, type: 'AWS::KMS::Key', ARN: key.arn }] };
}

/** Lambda reads, with the API-version suffix Lambda puts in its event names. */
export function lambdaRead(rng: Random, account: DemoAccount, region: DemoRegion): CallShape {
  const fns = account.principals.lambdas.filter((l) => l.region === region);
  if (fns.length === 0 || rng.chance(0.3)) return { source: 'lambda.amazonaws.com', name: 'ListFunctions20150331', region, readOnly: true, request: null };
  const fn = rng.pick(fns);
  const name = rng.chance(0.6) ? 'GetFunction20150331v2' : 'GetFunctionConfiguration20150331v2';
  return { source: 'lambda.amazonaws.com', name, region, readOnly: true, request: { functionName: fn.name } };
}

/** CloudFormation stack reads. */
export function cloudFormationRead(rng: Random, account: DemoAccount, region: DemoRegion): CallShape {
  const stackName = `${account.name}-${rng.pick(['app', 'network', 'monitoring'])}`;
  const name = rng.pick(['DescribeStacks', 'DescribeStackEvents', 'DescribeStackResources']);
  return { source: 'cloudformation.amazonaws.com', name, region, readOnly: true, request: { stackName } };
}

/** `sts:GetCallerIdentity`, the first call of every script and pipeline. */
export function callerIdentity(region: DemoRegion): CallShape {
  return { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', region, readOnly: true, request: null, host: region === 'us-east-1' ? 'sts.amazonaws.com' : `sts.${region}.amazonaws.com` };
}

/** A CloudWatch Logs read. */
export function logsRead(rng: Random, account: DemoAccount, region: DemoRegion): CallShape {
  const fn = account.principals.lambdas.find((l) => l.region === region) ?? account.principals.lambdas[0];
  return { source: 'logs.amazonaws.com', name: 'DescribeLogGroups', region, readOnly: true, request: { logGroupNamePrefix: fn ? `/aws/lambda/${fn.name}` : '/aws/', limit: rng.pick([50, 10]) } };
}
