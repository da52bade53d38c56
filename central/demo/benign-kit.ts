/** Shared pieces of the benign activities: where a call happens, and bursts of related calls. */
import { emit, instanceActor, lambdaActor, type Actor } from './actors.js';
import { base64 } from './aws-ids.js';
import type { CallShape } from './catalog.js';
import type { DemoInstance, DemoLambda, DemoRole } from './org-principals.js';
import type { DemoAccount, DemoOrganization } from './organization.js';
import { WeightedPicker, type Random } from './random.js';
import type { CloudTrailRecord } from './record.js';
import type { DemoRegion } from './regions.js';
import { HOUR, javaDate } from './time.js';

/** Precomputed choices over the organization, built once per generation. */
export interface Pools {
  readonly accounts: WeightedPicker<DemoAccount>;
  readonly lambdas: ReadonlyArray<readonly [DemoAccount, DemoLambda]>;
  readonly instances: ReadonlyArray<readonly [DemoAccount, DemoInstance]>;
  readonly logArchive: DemoAccount;
}

/** What an activity needs to produce its records. */
export interface Ctx {
  readonly rng: Random;
  readonly org: DemoOrganization;
  readonly pools: Pools;
  /** When the activity starts (ms). */
  readonly t: number;
}

/** One kind of benign activity: returns its records, first at `ctx.t`, in time order. */
export type Activity = (ctx: Ctx) => CloudTrailRecord[];

/** Builds the pools for an organization. */
export function poolsOf(org: DemoOrganization): Pools {
  return {
    accounts: new WeightedPicker(org.accounts.map((a) => [a, a.weight] as const)),
    lambdas: org.accounts.flatMap((a) => a.principals.lambdas.map((l) => [a, l] as const)),
    instances: org.accounts.flatMap((a) => a.principals.instances.map((i) => [a, i] as const)),
    logArchive: org.accounts.find((a) => a.name === 'log-archive')!,
  };
}

/** Something that runs with a role: a Lambda function (session = function name) or an instance (session = instance id). */
export interface Workload {
  readonly account: DemoAccount;
  readonly role: DemoRole;
  readonly sessionName: string;
  readonly region: DemoRegion;
  readonly service: 'lambda.amazonaws.com' | 'ec2.amazonaws.com';
  readonly actor: Actor;
}

/** A function with probability `lambdaShare`, else an instance; `instanceAgent` is what the instance's code sends. */
export function pickWorkload(ctx: Ctx, lambdaShare: number, instanceAgent?: string): Workload {
  const { rng, pools } = ctx;
  if (pools.instances.length === 0 || rng.chance(lambdaShare)) {
    const [account, fn] = rng.pick(pools.lambdas);
    return { account, role: fn.role, sessionName: fn.name, region: fn.region, service: 'lambda.amazonaws.com', actor: lambdaActor(fn, account) };
  }
  const [account, instance] = rng.pick(pools.instances);
  return { account, role: instance.role, sessionName: instance.id, region: instance.region, service: 'ec2.amazonaws.com', actor: instanceActor(instance, account, instanceAgent) };
}

/** A region for a call in this account, following its regional split. */
export function regionFor(rng: Random, account: DemoAccount): DemoRegion {
  return rng.next() < account.euShare ? 'eu-west-1' : 'us-east-1';
}

/** The host header STS sees: the global endpoint for us-east-1, the regional one elsewhere. */
export function stsHost(region: DemoRegion): string {
  return region === 'us-east-1' ? 'sts.amazonaws.com' : `sts.${region}.amazonaws.com`;
}

/** A session token as STS returns it (truncated: real ones run to ~1 KB). */
export function sessionToken(rng: Random): string {
  return 'IQoJb3JpZ2luX2Vj' + base64(rng, 112);
}

/** The `AssumeRole*` response: credentials plus the assumed-role user. */
export function assumeRoleResponse(rng: Random, role: DemoRole, sessionName: string, accessKeyId: string, t: number, seconds = 3600) {
  return {
    credentials: { accessKeyId, sessionToken: sessionToken(rng), expiration: javaDate(t + seconds * 1000) },
    assumedRoleUser: { assumedRoleId: `${role.id}:${sessionName}`, arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}` },
  };
}

/** Related calls a few seconds apart, as one script, pipeline step or console page makes them. */
export class Burst {
  readonly records: CloudTrailRecord[] = [];
  private time: number;

  constructor(private readonly ctx: Ctx, private readonly account: DemoAccount) {
    this.time = ctx.t;
  }

  /** The time of the next call. */
  get now(): number {
    return this.time;
  }

  /** Adds a call, then moves the clock on by a human- or machine-sized gap. */
  add(actor: Actor, shape: CallShape | undefined, minGapMs = 150, maxGapMs = 2500): this {
    if (!shape) return this;
    this.records.push(emit(this.ctx.rng, this.account, actor, shape, this.time));
    this.time += this.ctx.rng.between(minGapMs, maxGapMs);
    return this;
  }

  /** Adds a record built elsewhere (a call with a custom identity). */
  push(record: CloudTrailRecord, minGapMs = 150, maxGapMs = 2500): this {
    this.records.push(record);
    this.time += this.ctx.rng.between(minGapMs, maxGapMs);
    return this;
  }

  /** Waits, as between pipeline stages. */
  wait(minMs: number, maxMs: number): this {
    this.time += Math.min(HOUR / 2, this.ctx.rng.between(minMs, maxMs));
    return this;
  }
}
