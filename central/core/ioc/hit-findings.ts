/**
 * Findings of IOC hits: one per list, indicator, account, region and log, counting the records that
 * hit and keeping the first and last time and one example (the addresses, the request), so a
 * known-bad address seen ten thousand times is one finding, not ten thousand. The same collector
 * serves flow, WAF and CloudTrail records.
 */
import { partitionOf, productArn, type AsffFinding, type AsffNetwork } from '../findings/asff.js';
import { findingId } from '../findings/finding-id.js';
import { laterUpdatedAt } from '../findings/updated-at.js';
import type { IocHit } from './matcher.js';

/** Where a hit was seen: the record's account, region, time and what a finding shows of it. */
export interface IocSighting {
  readonly log: 'flow' | 'waf' | 'cloudtrail';
  readonly account: string;
  readonly region: string;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly network?: AsffNetwork;
  /** The resource the record is about: a network interface, a web ACL ARN. */
  readonly resource?: { readonly type: string; readonly id: string };
  /** A short description of the record (`GET /.env from 198.51.100.7`), never a secret. */
  readonly example: string;
}

/** What an IOC finding says: the hit, how many records made it, the first and the latest. Plain data, so it can be stored. */
export interface IocTally {
  readonly hit: IocHit;
  readonly first: IocSighting;
  readonly last: IocSighting;
  readonly count: number;
}

/** Two tallies of one finding as one: counts added, the earliest first, the latest last. */
export function mergeTallies(a: IocTally, b: IocTally): IocTally {
  return {
    hit: a.hit,
    first: b.first.time < a.first.time ? b.first : a.first,
    last: b.last.time >= a.last.time ? b.last : a.last,
    count: a.count + b.count,
  };
}

const TYPES: Readonly<Record<IocHit['kind'], string>> = {
  ip: 'TTPs/Command and Control/Known bad address',
  cidr: 'TTPs/Command and Control/Known bad address',
  asn: 'Unusual Behaviors/Network Flow/Listed network',
  domain: 'TTPs/Command and Control/Known bad domain',
  'uri-regex': 'TTPs/Initial Access/Attack probe',
  'user-agent-regex': 'TTPs/Discovery/Scanner user agent',
};

/** Collects IOC hits into findings. */
export class IocFindingCollector {
  private readonly tallies = new Map<string, IocTally>();
  private readonly changed = new Set<string>();
  /** Each finding's last UpdatedAt, so the next version is later (see updated-at.ts). */
  private readonly updated = new Map<string, string>();

  /** Records the hits of one record. */
  add(hits: readonly IocHit[], sighting: IocSighting): void {
    for (const hit of hits) {
      const id = iocFindingId(hit, sighting);
      const one: IocTally = { hit, first: sighting, last: sighting, count: 1 };
      const tally = this.tallies.get(id);
      this.tallies.set(id, tally ? mergeTallies(tally, one) : one);
      this.changed.add(id);
    }
  }

  /** Findings changed since the last call. */
  take(now: Date): AsffFinding[] {
    const out = [...this.changed].map((id) => {
      const f = iocFinding(id, this.tallies.get(id)!, laterUpdatedAt(now, this.updated.get(id)));
      this.updated.set(id, f.UpdatedAt);
      return f;
    });
    this.changed.clear();
    return out;
  }

  /** The tallies changed since the last call, by finding Id (for a store that adds them to its own), and forgets they changed. */
  takeTallies(): Map<string, IocTally> {
    const out = new Map([...this.changed].map((id) => [id, this.tallies.get(id)!] as const));
    this.changed.clear();
    return out;
  }

  /** IOC findings held. */
  get size(): number {
    return this.tallies.size;
  }
}

/** The finding Id of a hit: per list, indicator, account, region and log. */
export function iocFindingId(hit: Pick<IocHit, 'list' | 'indicator'>, s: Pick<IocSighting, 'account' | 'region' | 'log'>): string {
  return findingId(`ioc-${hit.list}`, s.account, s.region, `${hit.indicator}\u0000${s.log}`);
}

/** The finding of a tally. */
export function iocFinding(id: string, t: IocTally, now: Date): AsffFinding {
  const { hit, first, last } = t;
  const severity = { Label: hit.severity, Original: hit.severity };
  const types = [TYPES[hit.kind]];
  const partition = partitionOf(last.region);
  const resource = last.resource ?? { type: 'AwsAccount', id: `AWS::::Account:${last.account}` };
  const createdAt = new Date(first.time * 1000);
  const what = { ip: 'address', cidr: 'address block', asn: 'network (ASN)', domain: 'domain', 'uri-regex': 'URI pattern', 'user-agent-regex': 'user-agent pattern' }[hit.kind];
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: productArn(last.region, last.account),
    ProductName: 'Skywatch',
    CompanyName: 'Skywatch',
    GeneratorId: `skywatch/ioc/${hit.list}`,
    AwsAccountId: last.account,
    Region: last.region,
    Types: types,
    FirstObservedAt: iso(first.time),
    LastObservedAt: iso(last.time),
    CreatedAt: createdAt.toISOString(),
    UpdatedAt: (now < createdAt ? createdAt : now).toISOString(),
    Severity: severity,
    Title: clip(`IOC list ${hit.list}: ${what} ${hit.indicator} in ${logName(last.log)}`, 256),
    Description: clip(
      `${t.count} ${logName(last.log)} record${t.count === 1 ? '' : 's'} matched the ${what} ${hit.indicator} of IOC list ${hit.list} (field ${hit.field}) between ${iso(first.time)} and ${iso(last.time)}. Latest: ${last.example}.`,
      1024,
    ),
    Remediation: { Recommendation: { Text: 'Check what the listed address, network or client did in this account (queries: ip-activity), block it if it is not expected, and review the list entry if it is a false positive.' } },
    ProductFields: {
      'skywatch/RuleId': `ioc/${hit.list}`,
      'skywatch/Status': 'active',
      'skywatch/EventKind': 'ioc',
      'skywatch/Ioc/List': hit.list,
      'skywatch/Ioc/Kind': hit.kind,
      'skywatch/Ioc/Indicator': clip(hit.indicator, 2048),
      'skywatch/Ioc/Field': hit.field,
      'skywatch/Ioc/Log': last.log,
      'skywatch/EventCount': String(t.count),
      ...(hit.kind === 'ip' && { 'skywatch/Investigate': `ip-activity ip=${hit.indicator}` }),
    },
    Resources: [{ Type: resource.type, Id: clip(resource.id, 512), Partition: partition, Region: last.region }],
    ...(last.network && { Network: last.network }),
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
    RecordState: 'ACTIVE',
  };
}

const logName = (log: IocSighting['log']) => ({ flow: 'VPC flow log', waf: 'WAF log', cloudtrail: 'CloudTrail' })[log];
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
