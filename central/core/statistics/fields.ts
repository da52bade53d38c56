/**
 * Reads a detector's fields from decoded records. The SQL side (aggregation-sql.ts) has one
 * expression per field over the Glue tables; the two lists are checked against each other by test.
 */
import type { FlowRecord, NetworkRecord, WafRecord } from '../netlogs/records.js';
import type { FieldFilter, FlowField, RecordField, WafField } from './definition.js';

/** A field's value in a record: text or number, undefined when the record does not have it. */
export type FieldValue = string | number | undefined;

const FLOW_READERS: Readonly<Record<FlowField, (r: FlowRecord) => FieldValue>> = {
  interface: (r) => r.interfaceId,
  srcaddr: (r) => r.srcAddr,
  dstaddr: (r) => r.dstAddr,
  srcport: (r) => r.srcPort,
  dstport: (r) => r.dstPort,
  protocol: (r) => r.protocol,
  action: (r) => r.action,
  bytes: (r) => r.bytes,
  packets: (r) => r.packets,
};

const WAF_READERS: Readonly<Record<WafField, (r: WafRecord) => FieldValue>> = {
  webacl: (r) => r.webAcl,
  clientip: (r) => r.clientIp,
  country: (r) => r.country,
  uri: (r) => r.uri,
  method: (r) => r.httpMethod,
  action: (r) => r.action,
  rule: (r) => r.terminatingRuleId,
  useragent: (r) => r.userAgent,
  host: (r) => r.host,
};

const FIELD_READERS = { flow: FLOW_READERS, waf: WAF_READERS } as const;

/**
 * Addresses that are not on the internet: RFC 1918, loopback, "this network", link-local, CGNAT
 * (RFC 6598), multicast and reserved IPv4 (224/3); IPv6 loopback, unspecified, ULA (fc00::/7),
 * link-local (fe80::/10) and multicast. One text pattern, written so that JavaScript, RE2 (DuckDB)
 * and Trino (Athena) read it alike; flow logs write IPv6 in lowercase, the pattern accepts both.
 * Documentation ranges (TEST-NET) count as public: they stand for internet addresses in examples.
 */
export const PRIVATE_ADDRESS_PATTERN =
  '^(10\\.|127\\.|0\\.|169\\.254\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.|(22[4-9]|2[3-5][0-9])\\.|[fF][cCdD]|[fF][eE][89aAbB]|[fF][fF]|::1$|::$)';
const PRIVATE_ADDRESS = new RegExp(PRIVATE_ADDRESS_PATTERN);

/** True for an address outside the private and reserved ranges above. */
export function isPublicAddress(address: string): boolean {
  return !PRIVATE_ADDRESS.test(address);
}

/** A compiled reader of one field of one source's records. */
export type FieldReader = (record: NetworkRecord) => FieldValue;

/** The reader of a field for a source's records, looked up once per detector rather than per record. */
export function fieldReader(source: 'flow' | 'waf', field: RecordField): FieldReader {
  const read = (FIELD_READERS[source] as Record<string, (r: never) => FieldValue>)[field];
  return read ? (read as FieldReader) : () => undefined;
}

/** A compiled conjunction of filters; a missing field meets no filter. */
export function compileFilters(source: 'flow' | 'waf', filters: readonly FieldFilter[]): (record: NetworkRecord) => boolean {
  const tests = filters.map((f): ((r: NetworkRecord) => boolean) => {
    const read = fieldReader(source, f.field);
    if ('equals' in f) return (r) => read(r) === f.equals;
    if ('in' in f) {
      const set = new Set<string | number>(f.in);
      return (r) => {
        const v = read(r);
        return v !== undefined && set.has(v);
      };
    }
    if ('notIn' in f) {
      const set = new Set<string | number>(f.notIn);
      return (r) => {
        const v = read(r);
        return v !== undefined && !set.has(v);
      };
    }
    const wantPublic = f.address === 'public';
    return (r) => {
      const v = read(r);
      return typeof v === 'string' && isPublicAddress(v) === wantPublic;
    };
  });
  if (tests.length === 0) return () => true;
  return (r) => {
    for (const t of tests) if (!t(r)) return false;
    return true;
  };
}
