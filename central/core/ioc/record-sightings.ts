/** What an IOC finding shows of a flow or WAF record or a CloudTrail event that hit: addresses, ports, the request, the call. */
import type { SecurityEvent } from '../event.js';
import { partitionOf } from '../findings/asff.js';
import type { FlowRecord, NetworkRecord, WafRecord } from '../netlogs/records.js';
import type { IocSighting } from './hit-findings.js';
import type { IocHit, IocMatcher } from './matcher.js';

const PROTOCOLS: Readonly<Record<number, string>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };
const ip = (address: string | undefined, side: 'Source' | 'Destination') => (address ? { [`${side}Ip${address.includes(':') ? 'V6' : 'V4'}`]: address } : {});

/** The IOC hits of one record or event, with what its finding shows of it: plain data, so it crosses threads. */
export interface IocSightingData {
  readonly hits: IocHit[];
  readonly sighting: IocSighting;
}

/** The hits of every flow and WAF record on an IOC list. */
export function networkIocSightings(records: readonly NetworkRecord[], ioc: IocMatcher): IocSightingData[] {
  const out: IocSightingData[] = [];
  for (const r of records) {
    const hits = r.kind === 'flow' ? ioc.matchFlow(r) : ioc.matchWaf(r);
    if (hits.length) out.push({ hits: [...hits], sighting: r.kind === 'flow' ? flowSighting(r) : wafSighting(r) });
  }
  return out;
}

/** The hits of every CloudTrail event whose source address or user agent is on an IOC list. */
export function eventIocSightings(events: readonly SecurityEvent[], ioc: IocMatcher): IocSightingData[] {
  const out: IocSightingData[] = [];
  for (const e of events) {
    if (e.kind !== 'cloudtrail') continue;
    const hits = ioc.matchEvent(e);
    if (hits.length) out.push({ hits: [...hits], sighting: eventSighting(e) });
  }
  return out;
}

/** The sighting of a flow record. */
export function flowSighting(r: FlowRecord): IocSighting {
  const partition = partitionOf(r.region);
  return {
    log: 'flow',
    account: r.account,
    region: r.region,
    time: r.start,
    network: {
      ...ip(r.srcAddr, 'Source'),
      ...ip(r.dstAddr, 'Destination'),
      ...(r.srcPort !== undefined && { SourcePort: r.srcPort }),
      ...(r.dstPort !== undefined && { DestinationPort: r.dstPort }),
      ...(r.protocol !== undefined && { Protocol: PROTOCOLS[r.protocol] ?? String(r.protocol) }),
      ...(r.flowDirection && { Direction: r.flowDirection === 'ingress' ? 'IN' : 'OUT' }),
    },
    ...(r.interfaceId && { resource: { type: 'AwsEc2NetworkInterface', id: `arn:${partition}:ec2:${r.region}:${r.account}:network-interface/${r.interfaceId}` } }),
    example: `${r.action ?? r.logStatus} ${r.srcAddr ?? '-'}:${r.srcPort ?? '-'} -> ${r.dstAddr ?? '-'}:${r.dstPort ?? '-'}${r.interfaceId ? ` on ${r.interfaceId}` : ''}, ${r.bytes ?? 0} bytes`,
  };
}

/** The sighting of a WAF record. */
export function wafSighting(r: WafRecord): IocSighting {
  const path = r.uri.length > 200 ? `${r.uri.slice(0, 199)}…` : r.uri;
  const agent = r.userAgent ? `, user agent ${r.userAgent.length > 120 ? `${r.userAgent.slice(0, 119)}…` : r.userAgent}` : '';
  return {
    log: 'waf',
    account: r.account,
    region: r.region,
    time: Math.floor(r.timestamp / 1000),
    network: { Direction: 'IN', Protocol: 'TCP', ...ip(r.clientIp, 'Source') },
    resource: { type: 'AwsWafv2WebAcl', id: r.webAclId },
    example: `${r.httpMethod ?? 'GET'} ${path} from ${r.clientIp} (${r.action} by ${r.terminatingRuleId} on web ACL ${r.webAcl})${agent}`,
  };
}

/** The sighting of a CloudTrail event: who called what, from where. */
export function eventSighting(e: SecurityEvent): IocSighting {
  const agent = e.userAgent ? `, user agent ${e.userAgent.length > 120 ? `${e.userAgent.slice(0, 119)}…` : e.userAgent}` : '';
  return {
    log: 'cloudtrail',
    account: e.account,
    region: e.region,
    time: Math.floor(Date.parse(e.time) / 1000),
    ...(e.sourceIp && /^[\d.]+$|:/.test(e.sourceIp) && { network: { Direction: 'IN' as const, ...ip(e.sourceIp, 'Source') } }),
    example: `${e.name} (${e.source}) by ${e.actor.arn ?? e.actor.name ?? e.actor.type}${e.sourceIp ? ` from ${e.sourceIp}` : ''}${e.errorCode ? `, ${e.errorCode}` : ''}${agent}`,
  };
}
