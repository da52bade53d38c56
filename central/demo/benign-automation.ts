/**
 * Machine traffic, around the clock: services assuming roles, Lambda functions and instances reading
 * their configuration, Config and GuardDuty describing resources, KMS doing the trail's encryption.
 * This is most of a real organization trail.
 */
import { instanceActor, lambdaActor, onBehalfOf, serviceItself, serviceLinked } from './actors.js';
import { assumeRoleResponse, Burst, pickWorkload, regionFor, stsHost, type Activity } from './benign-kit.js';
import { EC2_READS, iamRead, kmsRead, lambdaRead, s3Read, type CallShape } from './catalog.js';
import { sessionAt } from './identity.js';
import { javaDate } from './time.js';
import { goService } from './user-agents.js';

/** Lambda and EC2 assume their execution roles; STS logs it as the service calling. */
export const serviceAssumesRole: Activity = (ctx) => {
  const { rng, t } = ctx;
  const { account, role, sessionName, region, service } = pickWorkload(ctx, 0.75);
  const key = sessionAt(role.arn, sessionName, t).accessKeyId;
  const shape: CallShape = {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    region,
    readOnly: true,
    request: { roleArn: role.arn, roleSessionName: sessionName },
    response: assumeRoleResponse(rng, role, sessionName, key, t, service === 'ec2.amazonaws.com' ? 21600 : 43200),
    resources: [{ accountId: account.id, type: 'AWS::IAM::Role', ARN: role.arn }],
    shared: true,
    host: stsHost(region),
  };
  return new Burst(ctx, account).add(serviceItself(service), shape).records;
};

/** A Lambda execution environment starts and creates its log stream. */
export const lambdaLogStream: Activity = (ctx) => {
  const [account, fn] = ctx.rng.pick(ctx.pools.lambdas);
  const day = new Date(ctx.t).toISOString().slice(0, 10).replaceAll('-', '/');
  const shape: CallShape = {
    source: 'logs.amazonaws.com',
    name: 'CreateLogStream',
    region: fn.region,
    readOnly: false,
    request: { logGroupName: `/aws/lambda/${fn.name}`, logStreamName: `${day}/[$LATEST]${ctx.rng.hex(32)}` },
  };
  // The Lambda worker, not the function code, creates the stream; CloudTrail shows its own agent.
  const actor = { ...lambdaActor(fn, account), agent: () => 'awslambda-worker/1.0 rusoto/0.48.0 rust/1.79.0 linux', vpcEndpoint: undefined };
  return new Burst(ctx, account).add(actor, shape).records;
};

/** A function reads a secret; Secrets Manager then decrypts it with KMS on the caller's behalf. */
export const lambdaReadsSecret: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const [account, fn] = rng.pick(pools.lambdas.filter(([a]) => a.resources.secrets.length > 0));
  const secret = rng.pick(account.resources.secrets);
  const key = account.resources.keys[secret.region];
  const caller = lambdaActor(fn, account);
  const viaSecrets = onBehalfOf(caller, 'secretsmanager.amazonaws.com');
  return new Burst(ctx, account)
    .add(caller, { source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', region: secret.region, readOnly: true, request: { secretId: secret.arn } }, 20, 120)
    .add(viaSecrets, {
      source: 'kms.amazonaws.com',
      name: 'Decrypt',
      region: secret.region,
      readOnly: true,
      request: { encryptionContext: { SecretARN: secret.arn, SecretVersionId: rng.uuid() }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      resources: [{ accountId: account.id, type: 'AWS::KMS::Key', ARN: key.arn }],
    }).records;
};

/** Functions read and write SSE-KMS objects; S3 asks KMS for keys with the function's session. */
export const s3UsesKms: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const [account, fn] = rng.pick(pools.lambdas.filter(([a]) => a.resources.buckets.length > 0));
  const bucket = rng.pick(account.resources.buckets);
  const key = account.resources.keys[bucket.region];
  const decrypt = rng.chance(0.6);
  const context = { 'aws:s3:arn': bucket.arn };
  const shape: CallShape = {
    source: 'kms.amazonaws.com',
    name: decrypt ? 'Decrypt' : 'GenerateDataKey',
    region: bucket.region,
    readOnly: true,
    request: decrypt ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: context } : { keyId: key.arn, encryptionContext: context, keySpec: 'AES_256' },
    resources: [{ accountId: account.id, type: 'AWS::KMS::Key', ARN: key.arn }],
  };
  return new Burst(ctx, account).add(onBehalfOf(lambdaActor(fn, account), 's3.amazonaws.com'), shape).records;
};

/** Functions and instances read their configuration from Parameter Store. */
export const workloadReadsParameters: Activity = (ctx) => {
  const { rng } = ctx;
  const { account, actor, region } = pickWorkload(ctx, 0.65, goService('ssm#1.55.5'));
  const params = account.resources.parameters.filter((p) => p.region === region && !p.name.startsWith('/aws/'));
  const one = rng.chance(0.6);
  const request = one ? { name: rng.pick(params).name, withDecryption: true } : { names: params.map((p) => p.name), withDecryption: true };
  return new Burst(ctx, account).add(actor, { source: 'ssm.amazonaws.com', name: one ? 'GetParameter' : 'GetParameters', region, readOnly: true, request }).records;
};

/** The SSM agent reports in every few minutes. */
export const ssmAgentCheckIn: Activity = (ctx) => {
  const [account, instance] = ctx.rng.pick(ctx.pools.instances);
  const az = `${instance.region}${ctx.rng.pick(['a', 'b', 'c'])}`;
  const request = {
    instanceId: instance.id,
    agentVersion: '3.3.1142.0',
    agentStatus: 'Active',
    platformType: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    iPAddress: instance.privateIp,
    computerName: `ip-${instance.privateIp.replaceAll('.', '-')}.${instance.region === 'us-east-1' ? 'ec2.internal' : `${instance.region}.compute.internal`}`,
    agentName: 'amazon-ssm-agent',
    availabilityZone: az,
    availabilityZoneId: `${instance.region === 'us-east-1' ? 'use1' : 'euw1'}-az${az.endsWith('a') ? 1 : az.endsWith('b') ? 2 : 3}`,
    ssmConnectionChannel: 'ssmmessages',
  };
  const burst = new Burst(ctx, account).add(instanceActor(instance, account), { source: 'ssm.amazonaws.com', name: 'UpdateInstanceInformation', region: instance.region, readOnly: false, request });
  if (ctx.rng.chance(0.3)) burst.add(instanceActor(instance, account), { source: 'ssm.amazonaws.com', name: 'ListInstanceAssociations', region: instance.region, readOnly: true, request: { instanceId: instance.id, maxResults: 50 } });
  return burst.records;
};

/** The organization trail asks KMS for a data key for every log file it writes. */
export const trailEncryptsLogs: Activity = (ctx) => {
  const { rng, org, pools } = ctx;
  const logArchive = pools.logArchive;
  const key = logArchive.resources.keys['us-east-1'];
  const from = pools.accounts.pick(rng);
  const region = regionFor(rng, from);
  const shape: CallShape = {
    source: 'kms.amazonaws.com',
    name: 'GenerateDataKey',
    region: 'us-east-1',
    readOnly: true,
    request: {
      keySpec: 'AES_256',
      encryptionContext: { 'aws:cloudtrail:arn': org.trail.arn, 'aws:s3:arn': `arn:aws:s3:::${org.trail.bucket}/AWSLogs/${org.id}/${from.id}/CloudTrail/${region}/` },
      keyId: key.arn,
    },
    resources: [{ accountId: logArchive.id, type: 'AWS::KMS::Key', ARN: key.arn }],
    shared: true,
  };
  return new Burst(ctx, logArchive).add(serviceItself('cloudtrail.amazonaws.com'), shape).records;
};

/** AWS Config records configuration: bursts of describes with its service-linked role. */
export const configDescribes: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const account = pools.accounts.pick(rng);
  const region = regionFor(rng, account);
  const actor = serviceLinked(account.principals.config, 'config.amazonaws.com', 'AWSConfig-Describe');
  const burst = new Burst(ctx, account);
  const n = rng.between(2, 6);
  const kind = rng.int(10);
  for (let i = 0; i < n; i++) {
    if (kind < 5) burst.add(actor, rng.pick(Object.values(EC2_READS))(rng, account, region), 40, 900);
    else if (kind < 7) burst.add(actor, s3Read(rng, account), 40, 900);
    else if (kind < 8) burst.add(actor, iamRead(rng, account), 40, 900);
    else if (kind < 9) burst.add(actor, kmsRead(rng, account, region), 40, 900);
    else burst.add(actor, lambdaRead(rng, account, region), 40, 900);
  }
  return burst.records;
};

/** Config rules report compliance. */
export const configEvaluations: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const account = pools.accounts.pick(rng);
  const region = regionFor(rng, account);
  const network = account.resources.networks[region];
  const [type, id] = rng.pick([
    ['AWS::EC2::SecurityGroup', network.securityGroupIds[0]!],
    ['AWS::EC2::VPC', network.vpcId],
    ['AWS::IAM::Role', account.principals.ci.id],
  ] as const);
  const request = {
    evaluations: [{ complianceResourceType: type, complianceResourceId: id, complianceType: 'COMPLIANT', orderingTimestamp: javaDate(ctx.t - 60_000) }],
    resultToken: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    testMode: false,
  };
  const actor = serviceLinked(account.principals.config, 'config.amazonaws.com', 'AWSConfig-Describe');
  return new Burst(ctx, account).add(actor, { source: 'config.amazonaws.com', name: 'PutEvaluations', region, readOnly: false, request }).records;
};

/** GuardDuty describes instances and network interfaces for its findings' context. */
export const guardDutyDescribes: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const account = pools.accounts.pick(rng);
  const region = regionFor(rng, account);
  const actor = serviceLinked(account.principals.guardduty, 'guardduty.amazonaws.com', 'AmazonGuardDuty');
  const name = rng.pick(['DescribeInstances', 'DescribeNetworkInterfaces', 'DescribeSecurityGroups', 'DescribeVpcs']);
  return new Burst(ctx, account).add(actor, EC2_READS[name]!(rng, account, region)).records;
};

/** Instances fetch a registry token before pulling images. */
export const ecrLogin: Activity = (ctx) => {
  const [account, instance] = ctx.rng.pick(ctx.pools.instances);
  const actor = instanceActor(instance, account, 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ecr-credential-helper/0.9.0');
  return new Burst(ctx, account).add(actor, { source: 'ecr.amazonaws.com', name: 'GetAuthorizationToken', region: instance.region, readOnly: true, request: null }).records;
};

/** Accounts also read IAM and KMS metadata through Config for the security account's rules. */
export const configIamAndKms: Activity = (ctx) => {
  const account = ctx.pools.accounts.pick(ctx.rng);
  const actor = serviceLinked(account.principals.config, 'config.amazonaws.com', 'AWSConfig-Describe');
  const region = regionFor(ctx.rng, account);
  return new Burst(ctx, account).add(actor, ctx.rng.chance(0.5) ? iamRead(ctx.rng, account) : kmsRead(ctx.rng, account, region)).records;
};

/** KMS rotates a customer-managed key on its schedule: a service event, not an API call. */
export const kmsRotatesKey: Activity = (ctx) => {
  const account = ctx.pools.accounts.pick(ctx.rng);
  const key = account.resources.keys[regionFor(ctx.rng, account)];
  const kms = { ...serviceItself('kms.amazonaws.com'), identity: () => ({ accountId: account.id, invokedBy: 'kms.amazonaws.com' }) };
  return new Burst(ctx, account).add(kms, {
    source: 'kms.amazonaws.com',
    name: 'RotateKey',
    region: key.region,
    readOnly: false,
    request: null,
    additional: { keyId: key.arn },
    resources: [{ accountId: account.id, type: 'AWS::KMS::Key', ARN: key.arn }],
    eventType: 'AwsServiceEvent',
  }).records;
};
