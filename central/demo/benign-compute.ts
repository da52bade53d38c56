/** Compute that changes by itself: Auto Scaling replacing instances, Lambda attaching to VPCs, security tooling. */
import { lambdaActor, onBehalfOf, serviceLinked } from './actors.js';
import { privateIp, resourceId } from './aws-ids.js';
import { Burst, type Activity } from './benign-kit.js';
import type { CallShape } from './catalog.js';
import type { DemoAccount } from './organization.js';
import type { Random } from './random.js';
import type { DemoRegion } from './regions.js';

const SCALED = ['prod-web', 'prod-payments'];

/** Auto Scaling launches a replacement instance or terminates a surplus one. */
export const autoScalingChurn: Activity = (ctx) => {
  const { rng, org } = ctx;
  const account = rng.pick(org.accounts.filter((a) => SCALED.includes(a.name)));
  const region: DemoRegion = rng.chance(0.5) ? 'us-east-1' : 'eu-west-1';
  const actor = serviceLinked(account.principals.autoscaling, 'autoscaling.amazonaws.com', 'AutoScaling');
  const shape = rng.chance(0.55) ? runInstances(rng, account, region) : terminateInstances(rng, region);
  return new Burst(ctx, account).add(actor, shape).records;
};

function runInstances(rng: Random, account: DemoAccount, region: DemoRegion): CallShape {
  const network = account.resources.networks[region];
  const instanceId = resourceId(rng, 'i');
  const imageId = resourceId(rng, 'ami');
  const subnetId = rng.pick(network.subnetIds);
  const clientToken = rng.uuid();
  const asg = `${account.name}-asg`;
  return {
    source: 'ec2.amazonaws.com',
    name: 'RunInstances',
    region,
    readOnly: false,
    request: {
      instancesSet: { items: [{ minCount: 1, maxCount: 1 }] },
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      subnetId,
      disableApiTermination: false,
      disableApiStop: false,
      clientToken,
      tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'aws:autoscaling:groupName', value: asg }] }] },
      launchTemplate: { launchTemplateId: resourceId(rng, 'lt'), version: String(rng.between(3, 9)) },
    },
    response: {
      requestId: rng.uuid(),
      reservationId: resourceId(rng, 'r'),
      ownerId: account.id,
      groupSet: {},
      instancesSet: {
        items: [
          {
            instanceId,
            imageId,
            instanceState: { code: 0, name: 'pending' },
            privateDnsName: `ip-10-0-${rng.between(0, 63)}-${rng.between(4, 250)}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`,
            amiLaunchIndex: 0,
            productCodes: {},
            instanceType: 'm7g.large',
            placement: { availabilityZone: `${region}${rng.pick(['a', 'b', 'c'])}`, tenancy: 'default' },
            monitoring: { state: 'disabled' },
            subnetId,
            vpcId: network.vpcId,
            privateIpAddress: privateIp(rng, 30),
            stateReason: { code: 'pending', message: 'pending' },
            architecture: 'arm64',
            rootDeviceType: 'ebs',
            rootDeviceName: '/dev/xvda',
            blockDeviceMapping: {},
            virtualizationType: 'hvm',
            clientToken,
            tagSet: { items: [{ key: 'aws:autoscaling:groupName', value: asg }] },
            groupSet: { items: [{ groupId: network.securityGroupIds[0]!, groupName: `${account.name}-web` }] },
            sourceDestCheck: true,
            ebsOptimized: true,
            enaSupport: true,
            metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
          },
        ],
      },
    },
  };
}

function terminateInstances(rng: Random, region: DemoRegion): CallShape {
  const instanceId = resourceId(rng, 'i');
  return {
    source: 'ec2.amazonaws.com',
    name: 'TerminateInstances',
    region,
    readOnly: false,
    request: { instancesSet: { items: [{ instanceId }] } },
    response: {
      requestId: rng.uuid(),
      instancesSet: { items: [{ instanceId, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] },
    },
  };
}

/** Lambda creates the network interface a VPC function needs, with the function's role. */
export const lambdaAttachesToVpc: Activity = (ctx) => {
  const { rng, pools } = ctx;
  const [account, fn] = rng.pick(pools.lambdas.filter(([a]) => a.principals.instances.length > 0));
  const network = account.resources.networks[fn.region];
  const subnetId = rng.pick(network.subnetIds);
  const caller = lambdaActor(fn, account);
  const actor = onBehalfOf(caller, 'lambda.amazonaws.com');
  const eni = resourceId(rng, 'eni');
  const shape: CallShape = {
    source: 'ec2.amazonaws.com',
    name: 'CreateNetworkInterface',
    region: fn.region,
    readOnly: false,
    request: { subnetId, description: `AWS Lambda VPC ENI-${fn.name}-${rng.uuid()}`, groupSet: { items: [{ groupId: network.securityGroupIds[2]! }] }, privateIpAddressesSet: {} },
    response: {
      requestId: rng.uuid(),
      networkInterface: { networkInterfaceId: eni, subnetId, vpcId: network.vpcId, ownerId: account.id, requesterManaged: false, status: 'pending', privateIpAddress: privateIp(rng, 40), sourceDestCheck: true, interfaceType: 'lambda' },
    },
  };
  return new Burst(ctx, account).add(actor, shape).records;
};

/** The security account's functions read GuardDuty and Security Hub findings. */
export const securityToolingReads: Activity = (ctx) => {
  const { rng, org } = ctx;
  const account = org.accounts.find((a) => a.name === 'security')!;
  const fn = rng.pick(account.principals.lambdas);
  const actor = lambdaActor(fn, account);
  const shape: CallShape = rng.chance(0.5)
    ? { source: 'securityhub.amazonaws.com', name: 'GetFindings', region: fn.region, readOnly: true, request: { maxResults: 100, filters: { RecordState: [{ value: 'ACTIVE', comparison: 'EQUALS' }] } } }
    : { source: 'guardduty.amazonaws.com', name: 'ListFindings', region: fn.region, readOnly: true, request: { detectorId: account.resources.detectors[fn.region], maxResults: 50 } };
  return new Burst(ctx, account).add(actor, shape).records;
};
