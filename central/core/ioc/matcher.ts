/**
 * The compiled IOC matcher: every active list's indicators in one index per kind, built once at
 * start-up. A miss allocates nothing (it returns one shared empty array); a hit builds its IocHit
 * objects, which are rare. Record helpers (matchFlow, matchWaf, matchEvent) read the fields
 * detectors see and name the field in each hit.
 */
import type { SecurityEvent } from '../event.js';
import { parseIpInto } from '../net/ip-words.js';
import type { FlowRecord, WafRecord } from '../netlogs/records.js';
import type { SeverityLabel } from '../rules/schema.js';
import type { AsnLookup } from './asn-ranges.js';
import { selfAndParents } from './domain.js';
import type { IocIndicatorKind, IocList } from './list.js';
import { buildRangeTable, type IndexedRange } from './range-table.js';

/** One indicator of one list that matched a field of a record. */
export interface IocHit {
  /** The list's id (its file name without `.yaml`). */
  readonly list: string;
  readonly kind: IocIndicatorKind;
  /** The indicator as the list writes it: the address or block, `AS14061`, the regex's id or pattern, the domain. Never the matched text. */
  readonly indicator: string;
  /** The record field that matched: `srcAddr`, `clientIp`, `uri`, `userAgent`, `sourceIp`... */
  readonly field: string;
  /** The list's severity for a hit alone. */
  readonly severity: SeverityLabel;
  /** How much the hit counts when the same key is also anomalous. */
  readonly weight: number;
}

/** A hit before it is tied to a field, built once per indicator at compile time. */
type IocMatch = Omit<IocHit, 'field'>;

/** How to build a matcher. */
export interface IocMatcherOptions {
  /** Answers ASN indicators; without it they match nothing (see `needsAsnLookup`). */
  readonly asnLookup?: AsnLookup;
  /** Ids of disabled lists (optional packs) to match all the same; expired lists never match. */
  readonly enable?: readonly string[];
}

/** Matches addresses, URIs, user agents and domains against the compiled lists. */
export interface IocMatcher {
  /** The lists this matcher matches (active ones, and disabled ones named in `enable`). */
  readonly lists: readonly IocList[];
  /** True when a list has ASN indicators but no AsnLookup was given, so they cannot match. */
  readonly needsAsnLookup: boolean;
  /** Hits for an IPv4 or IPv6 address: exact IPs, CIDR blocks, then ASNs. Not an address: none. */
  matchAddress(ip: string, field?: string): readonly IocHit[];
  /** Hits of URI regexes on a request path or query string. */
  matchUri(uri: string, field?: string): readonly IocHit[];
  /** Hits of user-agent regexes. */
  matchUserAgent(userAgent: string, field?: string): readonly IocHit[];
  /** Hits of domain indicators on a host name (the domain itself or a name under it). */
  matchDomain(name: string, field?: string): readonly IocHit[];
  /** Both addresses of a flow, and the packet-level ones when they differ (traffic through NAT). */
  matchFlow(record: Pick<FlowRecord, 'srcAddr' | 'dstAddr' | 'pktSrcAddr' | 'pktDstAddr'>): readonly IocHit[];
  /** A WAF request's client address, URI, query string and user agent. */
  matchWaf(record: Pick<WafRecord, 'clientIp' | 'uri' | 'args' | 'userAgent'>): readonly IocHit[];
  /** A CloudTrail event's `sourceIPAddress` (when an address, not a service name) and user agent. */
  matchEvent(event: Pick<SecurityEvent, 'sourceIp' | 'userAgent'>): readonly IocHit[];
}

const NO_HITS: readonly IocHit[] = Object.freeze([]);

/** Compiles the matcher over loaded lists. */
export function compileIocMatcher(all: readonly IocList[], options: IocMatcherOptions = {}): IocMatcher {
  const enable = new Set(options.enable ?? []);
  const lists = all.filter((l) => l.state === 'active' || (l.state === 'disabled' && enable.has(l.id)));
  const matchOf = (list: IocList, kind: IocIndicatorKind, indicator: string): IocMatch => Object.freeze({ list: list.id, kind, indicator, severity: list.severity, weight: list.weight });

  const addressMatches: IocMatch[] = [];
  const ranges: Record<4 | 6, IndexedRange[]> = { 4: [], 6: [] };
  const asns = new Map<number, IocMatch[]>();
  const domains = new Map<string, IocMatch[]>();
  const uris: Array<{ match: IocMatch; test: (s: string) => boolean }> = [];
  const agents: Array<{ match: IocMatch; test: (s: string) => boolean }> = [];
  const push = <K>(map: Map<K, IocMatch[]>, key: K, m: IocMatch) => map.set(key, [...(map.get(key) ?? []), m]);
  for (const list of lists) {
    for (const a of list.addresses) {
      ranges[a.range.family].push({ start: a.range.start, end: a.range.end, id: addressMatches.length });
      addressMatches.push(matchOf(list, a.kind, a.text));
    }
    for (const asn of list.asns) push(asns, asn, matchOf(list, 'asn', `AS${asn}`));
    for (const d of list.domains) push(domains, d, matchOf(list, 'domain', d));
    for (const r of list.uriRegexes) uris.push({ match: matchOf(list, 'uri-regex', r.name), test: (s: string) => r.regex.test(s) });
    for (const r of list.userAgentRegexes) agents.push({ match: matchOf(list, 'user-agent-regex', r.name), test: (s: string) => r.regex.test(s) });
  }
  const tables = { 4: buildRangeTable(ranges[4], 1), 6: buildRangeTable(ranges[6], 4) };
  const groups = { 4: tables[4].groups.map((ids) => ids.map((id) => addressMatches[id]!)), 6: tables[6].groups.map((ids) => ids.map((id) => addressMatches[id]!)) };
  const asnLookup = asns.size > 0 ? options.asnLookup : undefined;
  const words = new Uint32Array(4);

  const matchAddress = (ip: string, field = 'address'): readonly IocHit[] => {
    const family = parseIpInto(ip, words);
    if (family === 0) return NO_HITS;
    const group = tables[family].lookup(words);
    let hits = group < 0 ? NO_HITS : withField(groups[family][group]!, field);
    if (asnLookup) {
      const info = asnLookup.asnOf(ip);
      const matches = info && asns.get(info.asn);
      if (matches) hits = concat(hits, withField(matches, field));
    }
    return hits;
  };
  const regexHits = (entries: typeof uris, text: string, field: string): readonly IocHit[] => {
    let hits: IocHit[] | undefined;
    for (const { match, test } of entries) if (test(text)) (hits ??= []).push({ ...match, field });
    return hits ?? NO_HITS;
  };
  const matchUri = (uri: string, field = 'uri') => regexHits(uris, uri, field);
  const matchUserAgent = (ua: string, field = 'userAgent') => regexHits(agents, ua, field);
  return {
    lists,
    needsAsnLookup: asns.size > 0 && !options.asnLookup,
    matchAddress,
    matchUri,
    matchUserAgent,
    matchDomain(name, field = 'domain') {
      if (domains.size === 0) return NO_HITS;
      return selfAndParents(name).reduce<readonly IocHit[]>((hits, n) => concat(hits, withField(domains.get(n) ?? [], field)), NO_HITS);
    },
    matchFlow(r) {
      let hits = r.srcAddr ? matchAddress(r.srcAddr, 'srcAddr') : NO_HITS;
      if (r.dstAddr) hits = concat(hits, matchAddress(r.dstAddr, 'dstAddr'));
      if (r.pktSrcAddr && r.pktSrcAddr !== r.srcAddr) hits = concat(hits, matchAddress(r.pktSrcAddr, 'pktSrcAddr'));
      if (r.pktDstAddr && r.pktDstAddr !== r.dstAddr) hits = concat(hits, matchAddress(r.pktDstAddr, 'pktDstAddr'));
      return hits;
    },
    matchWaf(r) {
      let hits = concat(matchAddress(r.clientIp, 'clientIp'), matchUri(r.uri, 'uri'));
      if (r.args) hits = concat(hits, matchUri(r.args, 'args'));
      if (r.userAgent) hits = concat(hits, matchUserAgent(r.userAgent, 'userAgent'));
      return hits;
    },
    matchEvent(e) {
      const hits = e.sourceIp ? matchAddress(e.sourceIp, 'sourceIp') : NO_HITS;
      return e.userAgent ? concat(hits, matchUserAgent(e.userAgent, 'userAgent')) : hits;
    },
  };
}

function withField(matches: readonly IocMatch[], field: string): readonly IocHit[] {
  return matches.length === 0 ? NO_HITS : matches.map((m) => ({ ...m, field }));
}

function concat(a: readonly IocHit[], b: readonly IocHit[]): readonly IocHit[] {
  return b.length === 0 ? a : a.length === 0 ? b : [...a, ...b];
}
