/**
 * The ASFF finding of a statistics anomaly: one per detector, key and episode, updated while the
 * anomaly lasts. It says what was observed against what was expected, the band, the z-score or
 * CUSUM statistic and the training state, in words (Description) and as numbers (ProductFields),
 * so an analyst can judge it without rerunning anything.
 */
import { partitionOf, productArn, type AsffFinding, type AsffNetwork, type AsffResource } from '../findings/asff.js';
import { findingId } from '../findings/finding-id.js';
import { SEVERITY_LABELS, type SeverityLabel } from '../rules/schema.js';
import type { RecordContext } from './accumulator.js';
import type { StatisticsAnomaly } from './engine.js';
import { isPublicAddress } from './fields.js';

/** An IOC list that names an address of the anomalous key. */
export interface KeyIocHit {
  readonly list: string;
  readonly indicator: string;
}

/** Everything a statistics finding is built from. */
export interface StatisticsFindingInput {
  readonly anomaly: StatisticsAnomaly;
  readonly iocHits?: readonly KeyIocHit[];
  /** When the finding was first written (kept across updates), and now. */
  readonly createdAt: Date;
  readonly now: Date;
}

const PROTOCOLS: Readonly<Record<number, string>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };
const NAMES: Readonly<Record<string, string>> = {
  interface: 'interface', srcaddr: 'source', dstaddr: 'destination', srcport: 'source port', dstport: 'destination port',
  protocol: 'protocol', action: 'action', webacl: 'web ACL', clientip: 'client', country: 'country', uri: 'URI',
  method: 'method', rule: 'terminating rule', useragent: 'user agent', host: 'host',
};

/** The finding Id: stable for one episode of one key. */
export function statisticsFindingId(anomaly: Pick<StatisticsAnomaly, 'detector' | 'account' | 'region' | 'key' | 'episode'>): string {
  return findingId(`statistics-${anomaly.detector.id}`, anomaly.account, anomaly.region, `${anomaly.key.join('\u0000')}\u0000${anomaly.episode.start}`);
}

/** The severity: the detector's, one lower for a CUSUM alarm alone, one higher when the key is on an IOC list. */
export function statisticsSeverity(anomaly: Pick<StatisticsAnomaly, 'detector' | 'reason'>, iocHits = 0): SeverityLabel {
  let level = SEVERITY_LABELS.indexOf(anomaly.detector.severity);
  if (anomaly.reason === 'cusum') level -= 1;
  if (iocHits > 0) level += 1;
  return SEVERITY_LABELS[Math.min(Math.max(level, 1), SEVERITY_LABELS.length - 1)]!;
}

/** Builds the finding. */
export function statisticsFinding(input: StatisticsFindingInput): AsffFinding {
  const { anomaly, iocHits = [] } = input;
  const { context } = anomaly;
  const { detector, account, region } = anomaly;
  const severity = statisticsSeverity(anomaly, iocHits.length);
  const named = keyFields(anomaly);
  const windowEnd = anomaly.windowStart + detector.windowSeconds;
  const types = [...detector.types];
  const label = { Label: severity, Original: severity };
  const network = networkOf(named, context, detector.source);
  return {
    SchemaVersion: '2018-10-08',
    Id: statisticsFindingId(anomaly),
    ProductArn: productArn(region, account),
    ProductName: 'Skywatch',
    CompanyName: 'Skywatch',
    GeneratorId: `skywatch/statistics/${detector.id}`,
    AwsAccountId: account,
    Region: region,
    Types: types,
    FirstObservedAt: iso(anomaly.episode.start),
    LastObservedAt: iso(windowEnd),
    CreatedAt: input.createdAt.toISOString(),
    UpdatedAt: (input.now < input.createdAt ? input.createdAt : input.now).toISOString(),
    Severity: label,
    Title: clip(`${detector.title}: ${Object.entries(named).map(([f, v]) => `${NAMES[f] ?? f} ${v}`).join(', ')}`, 256),
    Description: clip(describe(anomaly, iocHits), 1024),
    Remediation: { Recommendation: { Text: clip(detector.runbook, 512) } },
    ProductFields: productFields(anomaly, iocHits),
    Resources: resourcesOf(anomaly, named, context),
    ...(network && { Network: network }),
    FindingProviderFields: { Severity: { ...label }, Types: [...types] },
    RecordState: 'ACTIVE',
  };
}

/** The key's named fields beyond account and region. */
function keyFields(anomaly: Pick<StatisticsAnomaly, 'detector' | 'key'>): Record<string, string> {
  const out: Record<string, string> = {};
  anomaly.detector.key.forEach((field, i) => (out[field] = anomaly.key[i + 2]!));
  return out;
}

function describe(a: StatisticsAnomaly, iocHits: readonly KeyIocHit[]): string {
  const d = a.detector;
  const minutes = Math.round(d.windowSeconds / 60);
  const observed = `${metricWords(a)} ${fmt(a.value)}${a.estimated ? ' (estimated: many keys in the window)' : ''} in the ${minutes} minutes from ${iso(a.windowStart)}`;
  const why =
    a.reason === 'peers'
      ? `This key has no trained history of its own; its peers in the same scope (${a.peers!.keys} keys this window) usually hold about ${fmt(a.peers!.typical)}, and above ${fmt(a.upper)} stands out (${d.settings.sigma} deviations on a log scale; ${a.z.toFixed(1)} here).`
      : a.reason === 'cusum'
        ? `A sustained rise: the CUSUM statistic is ${a.cusum.toFixed(1)} (alarm above ${d.settings.cusumH}, slack ${d.settings.cusumK} deviations) against what this hour usually holds; expected about ${fmt(a.expected)}, band up to ${fmt(a.upper)}.`
        : `Expected about ${fmt(a.expected)}, band up to ${fmt(a.upper)} (EWMA alpha ${d.settings.alpha}, ${d.settings.sigma} sigma); z-score ${a.z.toFixed(1)}.`;
  const training = a.training.trained
    ? `Baseline trained, learning since ${iso(a.training.since)}.`
    : `Baseline of this key still learning (since ${iso(a.training.since)}, ${d.settings.trainDays} days needed).`;
  const episode = a.episode.windows > 1 ? ` Anomalous for ${a.episode.windows} windows since ${iso(a.episode.start)}, peak ${fmt(a.episode.peak)}.` : '';
  const ioc = iocHits.length ? ` On IOC lists: ${iocHits.map((h) => `${h.list} (${h.indicator})`).join(', ')}.` : '';
  return `${d.description.trim()} Observed ${observed}. ${why} ${training}${episode}${ioc}`;
}

function metricWords(a: StatisticsAnomaly): string {
  const m = a.detector.metric;
  if (m.kind === 'count') return 'records';
  if (m.kind === 'sum') return m.field;
  if (m.kind === 'distinct') return `distinct ${NAMES[m.field] ?? m.field} values`;
  return `share matching (of ${a.volume} records)`;
}

function productFields(a: StatisticsAnomaly, iocHits: readonly KeyIocHit[]): Record<string, string> {
  const fields: Record<string, string> = {
    'skywatch/RuleId': `statistics/${a.detector.id}`,
    'skywatch/Status': a.detector.status,
    'skywatch/EventKind': 'statistics',
    'skywatch/Statistics/Reason': a.reason,
    'skywatch/Statistics/Window': `${iso(a.windowStart)}/${iso(a.windowStart + a.detector.windowSeconds)}`,
    'skywatch/Statistics/Observed': String(a.value),
    'skywatch/Statistics/Volume': String(a.volume),
    'skywatch/Statistics/Expected': round(a.expected),
    'skywatch/Statistics/Upper': round(a.upper),
    'skywatch/Statistics/ZScore': round(a.z),
    'skywatch/Statistics/Cusum': round(a.cusum),
    'skywatch/Statistics/Trained': String(a.training.trained),
    'skywatch/Statistics/LearningSince': iso(a.training.since),
    'skywatch/Statistics/EpisodeWindows': String(a.episode.windows),
    'skywatch/Statistics/Peak': String(a.episode.peak),
    'skywatch/Statistics/Key': clip(a.key.slice(2).join(' '), 2048),
  };
  if (a.peers) fields['skywatch/Statistics/PeerKeys'] = String(a.peers.keys);
  if (a.estimated) fields['skywatch/Statistics/Estimated'] = 'true';
  if (a.detector.techniques.length) fields['skywatch/MitreTechniques'] = a.detector.techniques.join(',');
  if (iocHits.length) fields['skywatch/IocLists'] = clip([...new Set(iocHits.map((h) => h.list))].join(','), 2048);
  return fields;
}

function resourcesOf(a: StatisticsAnomaly, named: Record<string, string>, context?: RecordContext): AsffResource[] {
  const { account, region } = a;
  const partition = partitionOf(region);
  const eni = named.interface ?? context?.interfaceId;
  if (a.detector.source === 'flow' && eni) {
    return [{ Type: 'AwsEc2NetworkInterface', Id: `arn:${partition}:ec2:${region}:${account}:network-interface/${eni}`, Partition: partition, Region: region }];
  }
  if (a.detector.source === 'waf' && context?.webAclId) {
    // A CloudFront web ACL's ARN is global and lives in us-east-1; the finding stays where it was logged.
    return [{ Type: 'AwsWafv2WebAcl', Id: clip(context.webAclId, 512), Partition: partition, Region: region }];
  }
  return [{ Type: 'AwsAccount', Id: `AWS::::Account:${account}`, Partition: partition, Region: region }];
}

function networkOf(named: Record<string, string>, context: RecordContext | undefined, source: 'flow' | 'waf'): AsffNetwork | undefined {
  const src = named.srcaddr ?? named.clientip ?? (source === 'waf' ? context?.clientIp : undefined);
  const dst = named.dstaddr;
  const net: AsffNetwork = {};
  if (src) net[src.includes(':') ? 'SourceIpV6' : 'SourceIpV4'] = src;
  if (dst) net[dst.includes(':') ? 'DestinationIpV6' : 'DestinationIpV4'] = dst;
  const srcPort = named.srcport !== undefined ? Number(named.srcport) : undefined;
  const dstPort = named.dstport !== undefined ? Number(named.dstport) : undefined;
  if (srcPort !== undefined) net.SourcePort = srcPort;
  if (dstPort !== undefined) net.DestinationPort = dstPort;
  const protocol = named.protocol !== undefined ? Number(named.protocol) : context?.protocol;
  if (source === 'waf') {
    net.Direction = 'IN';
    net.Protocol = 'TCP';
  } else if (protocol !== undefined) {
    net.Protocol = PROTOCOLS[protocol] ?? String(protocol);
  }
  if (source === 'flow' && src && dst) {
    if (isPublicAddress(src) && !isPublicAddress(dst)) net.Direction = 'IN';
    else if (!isPublicAddress(src) && isPublicAddress(dst)) net.Direction = 'OUT';
  }
  return Object.keys(net).length ? net : undefined;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US'));
const round = (n: number): string => String(Math.round(n * 1000) / 1000);
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
