/**
 * The building blocks of planted attacks: the attackers, the scenario record tests assert on, and a
 * Campaign that writes one intrusion step by step.
 */
import { emit, type Actor } from './actors.js';
import type { CallShape } from './catalog.js';
import type { DemoOrganization } from './organization.js';
import type { Random } from './random.js';
import type { CloudTrailRecord } from './record.js';
import type { TrailRegion } from './regions.js';

/** An attacker: one address from 203.0.113.0/24 and a distinctive tool. */
export interface DemoAttacker {
  readonly name: string;
  readonly ip: string;
  /** The user agent of the attacker's API tooling. */
  readonly userAgent: string;
  /** The browser used for console sign-ins. */
  readonly browser: string;
}

/** The two attackers of the demo. */
export const ATTACKERS = {
  /** Boto3 scripts from a Kali Linux host; hits data, payments and staging. */
  kali: {
    name: 'kali-boto3',
    ip: '203.0.113.66',
    userAgent: 'Boto3/1.35.24 md/Botocore#1.35.24 ua/2.0 os/linux#6.8.11-kali-amd64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.24',
    browser: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  },
  /** An old AWS CLI v1 on Windows; hits the web account and the sandbox's root user. */
  legacyCli: {
    name: 'legacy-cli',
    ip: '203.0.113.211',
    userAgent: 'aws-cli/1.18.69 Python/3.8.10 Windows/10 botocore/1.16.19',
    browser: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  },
} as const satisfies Record<string, DemoAttacker>;

/** One planted scenario: the rule it must trigger, where, and the events it consists of. */
export interface PlantedScenario {
  /** `<account name>/<rule id>`. */
  readonly id: string;
  readonly ruleId: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly region: TrailRegion;
  readonly attacker: string;
  readonly attackerIp: string;
  readonly userAgent: string;
  readonly description: string;
  /** Every event of the scenario, reconnaissance included. */
  readonly eventIds: readonly string[];
  /** The events the rule is expected to fire on. */
  readonly triggerEventIds: readonly string[];
}

/**
 * Writes one intrusion step by step. Reconnaissance is attached to the next scenario it leads to;
 * `trigger` opens (or extends) the scenario of a rule.
 */
export class Campaign {
  readonly records: CloudTrailRecord[] = [];
  readonly scenarios: PlantedScenario[] = [];
  private context: string[] = [];
  private time: number;

  constructor(
    private readonly rng: Random,
    private readonly org: DemoOrganization,
    readonly accountName: string,
    readonly attacker: DemoAttacker,
    start: number,
  ) {
    this.time = start;
  }

  /** The account this campaign runs in. */
  get account() {
    return this.org.accounts.find((a) => a.name === this.accountName)!;
  }

  /** The time of the next step. */
  get now(): number {
    return this.time;
  }

  /** A reconnaissance or follow-up call that no rule needs to catch. */
  recon(actor: Actor, shape: CallShape, gapSeconds: readonly [number, number] = [4, 40]): this {
    this.context.push(this.write(actor, shape, gapSeconds));
    return this;
  }

  /** A call that must trigger `ruleId`. */
  trigger(ruleId: string, actor: Actor, shape: CallShape, description: string, gapSeconds: readonly [number, number] = [4, 40]): this {
    const id = this.write(actor, shape, gapSeconds);
    const account = this.account;
    const existing = this.scenarios.findIndex((s) => s.ruleId === ruleId && s.region === shape.region);
    const before = existing >= 0 ? this.scenarios[existing]! : undefined;
    const scenario: PlantedScenario = {
      id: `${account.name}/${ruleId}`,
      ruleId,
      accountId: account.id,
      accountName: account.name,
      region: shape.region,
      attacker: this.attacker.name,
      attackerIp: this.attacker.ip,
      userAgent: this.attacker.userAgent,
      description: before?.description ?? description,
      eventIds: [...(before?.eventIds ?? []), ...this.context, id],
      triggerEventIds: [...(before?.triggerEventIds ?? []), id],
    };
    if (before) this.scenarios[existing] = scenario;
    else this.scenarios.push(scenario);
    this.context = [];
    return this;
  }

  /** Waits before the next step. */
  pause(minutes: number): this {
    this.time += minutes * 60_000 + this.rng.between(0, 59_000);
    return this;
  }

  /** Attaches trailing reconnaissance to the last scenario, so every planted event belongs to one. */
  finish(): this {
    const last = this.scenarios.at(-1);
    if (last && this.context.length > 0) this.scenarios[this.scenarios.length - 1] = { ...last, eventIds: [...last.eventIds, ...this.context] };
    this.context = [];
    return this;
  }

  private write(actor: Actor, shape: CallShape, [min, max]: readonly [number, number]): string {
    const record = emit(this.rng, this.account, actor, shape, this.time);
    this.records.push(record);
    this.time += this.rng.between(min * 1000, max * 1000);
    return record.eventID as string;
  }
}
