/**
 * Findings of IOC hits: one per list, indicator, account, region and log, counting the records that
 * hit and keeping the first and last time and one example (the addresses, the request), so a
 * known-bad address seen ten thousand times is one finding, not ten thousand. The same collector
 * serves flow, WAF and CloudTrail records.
 */
import { partitionOf, productArn, type AsffFinding, type AsffNetwork } from '../findings/asff.js';
import { findingId } from '../findings/finding-id.js';
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

interface Tally {
  readonly hit: IocHit;
  readonly first: IocSighting;
  last: IocSighting;
  count: number;
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
  private readonly tallies = new Map<string, Tally>();
  private readonly changed = new Set<string>();

  /** Records the hits of one record. */
  add(hits: readonly IocHit[], sighting: IocSighting): void {
    for (const hit of hits) {
      const id = iocFindingId(hit, sighting);
      const tally = this.tallies.get(id);
      if (tally) {
        tally.count++;
        if (sighting.time >= tally.last.time) tally.last = sighting;
      } else {
        this.tallies.set(id, { hit, first: sighting, last: sighting, count: 1 });
      }
      this.changed.add(id);
    }
  }

  /** Findings changed since the last call. */
  take(now: Date): AsffFinding[] {
    const out = [...this.changed].map((id) => iocFinding(id, this.tallies.get(id)!, now));
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

function iocFinding(id: string, t: Tally, now: Date): AsffFinding {
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
