/**
 * The VPCs whose flow logs the demo writes: for three accounts, one VPC each with a public web tier,
 * application and database hosts, batch workers and a bastion, and the external APIs they call.
 * Two flow logs use the default (v2) format and one a custom v5 format, so decoders see both.
 */
import { resourceId } from '../aws-ids.js';
import { accountNamed, type DemoAccount, type DemoOrganization } from '../organization.js';
import type { Random } from '../random.js';
import type { DemoRegion } from '../regions.js';
import { addressIn, publicAddress } from './addresses.js';
import { clientPool, type ClientPool } from './clients.js';

/** The record format a flow log was created with. */
export type FlowFormat = 'v2' | 'v5';

/** What a network interface is for; it decides the traffic it sees. */
export type InterfaceRole = 'web' | 'app' | 'db' | 'worker' | 'bastion';

/** One elastic network interface. */
export interface NetInterface {
  readonly id: string;
  readonly role: InterfaceRole;
  readonly address: string;
  readonly subnetId: string;
  readonly azId: string;
  /** Undefined for load balancer interfaces, which belong to no instance. */
  readonly instanceId?: string;
}

/** One flow log: an account's VPC in one region, and what talks inside and out of it. */
export interface FlowStream {
  readonly account: DemoAccount;
  readonly region: DemoRegion;
  readonly flowLogId: string;
  readonly format: FlowFormat;
  readonly vpcId: string;
  readonly cidr: string;
  /** The VPC's DNS resolver (the base address plus two). */
  readonly resolver: string;
  readonly interfaces: Readonly<Record<InterfaceRole, readonly NetInterface[]>>;
  /** The stable set of external APIs the applications call through the NAT gateway. */
  readonly apis: readonly string[];
  readonly clients: ClientPool;
  /**
   * A batch job that uploads to one of the APIs at a flat rate day and night: the baseline the planted
   * slow ramp grows.
   */
  readonly steady: { readonly source: NetInterface; readonly destination: string; readonly bytesPerWindow: number };
  /** Connections per 5 minutes at the busiest hour, per kind of traffic. */
  readonly peak: { readonly web: number; readonly db: number; readonly api: number; readonly dns: number };
}

interface StreamPlan {
  readonly account: string;
  readonly region: DemoRegion;
  readonly format: FlowFormat;
  readonly peak: FlowStream['peak'];
}

// The web account carries the public traffic, payments less of it and more database work, analytics
// mostly batch egress. Peaks are tuned so the week stays around a million records.
const PLANS: readonly StreamPlan[] = [
  { account: 'prod-web', region: 'us-east-1', format: 'v2', peak: { web: 95, db: 40, api: 18, dns: 12 } },
  { account: 'prod-payments', region: 'eu-west-1', format: 'v2', peak: { web: 50, db: 55, api: 25, dns: 10 } },
  { account: 'data-analytics', region: 'us-east-1', format: 'v5', peak: { web: 12, db: 50, api: 35, dns: 8 } },
];

const AZ_IDS: Readonly<Record<DemoRegion, readonly string[]>> = {
  'us-east-1': ['use1-az1', 'use1-az2', 'use1-az4'],
  'eu-west-1': ['euw1-az1', 'euw1-az2', 'euw1-az3'],
};

// Public subnets hold the load balancer; private ones the hosts (third octet ranges of the /16).
const COUNTS: ReadonlyArray<readonly [InterfaceRole, number, readonly [number, number]]> = [
  ['web', 3, [0, 15]],
  ['app', 6, [16, 31]],
  ['db', 2, [32, 39]],
  ['worker', 3, [40, 47]],
  ['bastion', 1, [0, 15]],
];

/** The three flow logs of the demo organization, drawn from `rng`. */
export function flowStreams(org: DemoOrganization, rng: Random): FlowStream[] {
  return PLANS.map((plan) => {
    const account = accountNamed(org, plan.account);
    const r = rng.fork(`topology/${account.name}/${plan.region}`);
    const vpc = account.resources.networks[plan.region];
    const used = new Set<string>();
    const iface = (role: InterfaceRole, thirds: readonly [number, number], i: number): NetInterface => {
      let address = addressIn(vpc.cidr, r, thirds);
      while (used.has(address)) address = addressIn(vpc.cidr, r, thirds);
      used.add(address);
      const subnet = i % vpc.subnetIds.length;
      const eni = resourceId(r, 'eni');
      return { id: eni, role, address, subnetId: vpc.subnetIds[subnet]!, azId: AZ_IDS[plan.region][subnet]!, instanceId: role === 'web' ? undefined : resourceId(r, 'i') };
    };
    const interfaces = Object.fromEntries(COUNTS.map(([role, n, thirds]) => [role, Array.from({ length: n }, (_, i) => iface(role, thirds, i))])) as unknown as FlowStream['interfaces'];
    const [a, b] = vpc.cidr.split('.');
    const apis = Array.from({ length: 8 }, () => publicAddress(r));
    return {
      account,
      region: plan.region,
      flowLogId: `fl-${r.hex(8)}`,
      format: plan.format,
      vpcId: vpc.vpcId,
      cidr: vpc.cidr,
      resolver: `${a}.${b}.0.2`,
      interfaces,
      apis,
      steady: { source: interfaces.worker[0]!, destination: apis[0]!, bytesPerWindow: 24_000_000 },
      clients: clientPool(r.fork('clients'), 3000),
      peak: plan.peak,
    };
  });
}
