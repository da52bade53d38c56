import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFlowLog, decodeFlowLogBytes } from '../../../central/core/netlogs/flow-log.js';
import { MAX_LISTED_LINE_PROBLEMS } from '../../../central/core/netlogs/log-input.js';
import type { FlowRecord } from '../../../central/core/netlogs/records.js';
import { FIXTURES } from '../../support/fixtures.js';

interface DocExample {
  readonly section: string;
  readonly format: string;
  readonly record: string;
  readonly parsed?: Record<string, string>;
}

const DOCS = readFileSync(`${FIXTURES}aws-docs/vpc_flow_log_doc_examples.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as DocExample);

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const ACCOUNT = '123456789012';
const NAME = 'AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/05/01/flows.log';
const ORIGIN = { account: ACCOUNT, region: 'eu-west-1' };

/** A default-format line; `fields` replaces tokens by field name. */
function line(fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    version: '2', 'account-id': ACCOUNT, 'interface-id': 'eni-0a1b2c3d4e5f60718', srcaddr: '192.0.2.10', dstaddr: '172.31.16.21',
    srcport: '20641', dstport: '22', protocol: '6', packets: '20', bytes: '4249', start: '1714568700', end: '1714568760', action: 'REJECT', 'log-status': 'OK',
  };
  return HEADER.split(' ').map((f) => fields[f] ?? base[f]).join(' ');
}

/** The record `line(fields)` decodes to under ORIGIN. */
function expected(overrides: Partial<FlowRecord> = {}): FlowRecord {
  return {
    kind: 'flow', account: ACCOUNT, region: 'eu-west-1', version: 2, interfaceId: 'eni-0a1b2c3d4e5f60718', srcAddr: '192.0.2.10', dstAddr: '172.31.16.21',
    srcPort: 20641, dstPort: 22, protocol: 6, packets: 20, bytes: 4249, start: 1714568700, end: 1714568760, action: 'REJECT', logStatus: 'OK', ...overrides,
  };
}

const NUMERIC = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path']);
const RECORD_KEY: Record<string, keyof FlowRecord | undefined> = {
  version: 'version', 'account-id': 'account', 'interface-id': 'interfaceId', srcaddr: 'srcAddr', dstaddr: 'dstAddr', srcport: 'srcPort', dstport: 'dstPort',
  protocol: 'protocol', packets: 'packets', bytes: 'bytes', start: 'start', end: 'end', action: 'action', 'log-status': 'logStatus', 'vpc-id': 'vpcId',
  'subnet-id': 'subnetId', 'instance-id': 'instanceId', 'tcp-flags': 'tcpFlags', type: 'trafficType', 'pkt-srcaddr': 'pktSrcAddr', 'pkt-dstaddr': 'pktDstAddr',
  region: 'recordRegion', 'az-id': 'azId', 'sublocation-type': undefined, 'sublocation-id': undefined, 'pkt-src-aws-service': 'pktSrcService',
  'pkt-dst-aws-service': 'pktDstService', 'traffic-path': 'trafficPath', 'flow-direction': 'flowDirection',
};

/** The record the documentation's field table describes, delivered under its own account in `region`. */
function documented(parsed: Record<string, string>, region: string): Record<string, unknown> {
  const record: Record<string, unknown> = { kind: 'flow', region };
  for (const [field, value] of Object.entries(parsed)) {
    const key = RECORD_KEY[field];
    if (key === undefined) continue;
    record[key] = value === '-' ? undefined : NUMERIC.has(field) ? Number(value) : value;
  }
  return record;
}

const timed = DOCS.filter((d) => d.parsed && 'start' in d.parsed && 'end' in d.parsed);
const untimed = DOCS.filter((d) => !timed.includes(d));

describe('decoding the VPC documentation examples', () => {
  it('has the examples the fixture promises', () => {
    expect([DOCS.length, timed.length, untimed.length]).toEqual([28, 17, 11]);
  });

  it.each(timed.map((d, i) => [i, d.section, d] as const))('decodes example %i (%s) to its documented fields', (_, __, doc) => {
    const account = doc.parsed!['account-id']!;
    const decoded = decodeFlowLog('doc.log', `${doc.format}\n${doc.record}\n`, { account, region: 'eu-west-1' });
    expect(decoded.problems).toEqual([]);
    expect(decoded.records).toEqual([documented(doc.parsed!, 'eu-west-1')]);
  });

  it.each(untimed.map((d, i) => [i, d.section, d] as const))('refuses example %i (%s), whose format has no start or end, in one problem', (_, __, doc) => {
    const decoded = decodeFlowLog('doc.log', `${doc.format}\n${doc.record}\n`, ORIGIN);
    expect(decoded).toEqual({ records: [], problems: [{ input: 'doc.log', reason: 'the format has no start or end field, so its 1 record cannot be placed in time; not read', level: 'error' }] });
  });

  it('takes the region from a v4 record when the path names none', () => {
    const v5 = timed.filter((d) => d.parsed!.version === '5');
    const decoded = decodeFlowLog('loose.log', [v5[0]!.format, ...v5.map((d) => d.record)].join('\n'), {});
    expect(decoded.problems).toEqual([]);
    expect(decoded.records).toEqual(v5.map((d) => documented(d.parsed!, 'ap-southeast-2')));
  });

  it('decodes headerless default-format lines, as CloudWatch exports them, in the default order', () => {
    const v2 = timed.filter((d) => d.parsed!.version === '2');
    const text = v2.map((d) => `2024-05-01T13:05:42.000Z ${d.record}`).join('\n');
    const decoded = decodeFlowLog('export.txt', text, { region: 'eu-west-1' });
    expect(decoded.problems).toEqual([]);
    expect(decoded.records).toEqual(v2.map((d) => documented(d.parsed!, 'eu-west-1')));
  });
});

describe('decoding a flow-log file', () => {
  it('reads records after a header, ignoring CRLF, blank lines and runs of spaces', () => {
    const text = `${HEADER}\r\n\r\n${line().replaceAll(' ', '  ')}   \r\n\n${line({ srcport: '443' })}\r\n`;
    expect(decodeFlowLog(NAME, text, ORIGIN)).toEqual({ records: [expected(), expected({ srcPort: 443 })], problems: [] });
  });

  it('follows a header repeated mid-file, in another format', () => {
    const text = [HEADER, line(), 'start end srcaddr dstaddr action log-status', '1714568700 1714568760 192.0.2.99 - ACCEPT OK'].join('\n');
    expect(decodeFlowLog(NAME, text, ORIGIN)).toEqual({
      records: [expected(), { kind: 'flow', account: ACCOUNT, region: 'eu-west-1', version: 2, srcAddr: '192.0.2.99', start: 1714568700, end: 1714568760, action: 'ACCEPT', logStatus: 'OK' }],
      problems: [],
    });
  });

  it('ignores fields it does not read or know, and takes the version the fields imply when the format has none', () => {
    const text = 'srcaddr future-field ecs-task-id start end region log-status\n192.0.2.10 x y 1714568700 1714568760 eu-west-1 NODATA';
    expect(decodeFlowLog('loose.log', text, { account: ACCOUNT })).toEqual({
      records: [{ kind: 'flow', account: ACCOUNT, region: 'eu-west-1', recordRegion: 'eu-west-1', version: 7, srcAddr: '192.0.2.10', start: 1714568700, end: 1714568760, logStatus: 'NODATA' }],
      problems: [],
    });
  });

  it('keeps lines 1 and 3 of a headerless file whose line 2 is broken, and names line 2', () => {
    const text = [line(), line({ dstport: 'ssh' }), line({ dstport: '3389' })].join('\n');
    expect(decodeFlowLog(NAME, text, ORIGIN)).toEqual({
      records: [expected(), expected({ dstPort: 3389 })],
      problems: [{ input: NAME, line: 2, reason: 'dstport "ssh" is not a port (0-65535)', level: 'error' }],
    });
  });

  it.each([
    [{ srcport: '65536' }, 'srcport "65536" is not a port (0-65535)'],
    [{ protocol: '256' }, 'protocol "256" is not a protocol number (0-255)'],
    [{ packets: '-3' }, 'packets "-3" is not a packet count'],
    [{ bytes: '1e6' }, 'bytes "1e6" is not a byte count'],
    [{ bytes: '12345678901234567890' }, 'bytes "12345678901234567890" is not a byte count'],
    [{ version: '1' }, 'version "1" is not a format version'],
    [{ start: 'yesterday' }, 'start "yesterday" is not epoch seconds'],
    [{ start: '-' }, 'start is missing'],
    [{ start: '1714568700000', end: '1714568760000' }, 'start "1714568700000" is not epoch seconds'],
    [{ start: '86400', end: '86460' }, 'start 86400 is not a plausible time (before 2000)'],
    [{ start: '1714568760', end: '1714568700' }, 'end 1714568700 is before start 1714568760'],
    [{ action: 'DROP' }, 'action "DROP" is not ACCEPT or REJECT'],
    [{ 'log-status': 'MAYBE' }, 'log-status "MAYBE" is not OK, NODATA or SKIPDATA'],
    [{ 'account-id': 'acct-1' }, 'account-id "acct-1" is not an account (12 digits)'],
  ])('rejects a record with %o: %s', (fields, reason) => {
    expect(decodeFlowLog(NAME, `${HEADER}\n${line(fields)}`, ORIGIN)).toEqual({ records: [], problems: [{ input: NAME, line: 2, reason, level: 'error' }] });
  });

  it.each([
    ['tcp-flags', '300', 'tcp-flags "300" is not a TCP flags value (0-255)'],
    ['flow-direction', 'sideways', 'flow-direction "sideways" is not ingress or egress'],
    ['traffic-path', 'igw', 'traffic-path "igw" is not a traffic path (0-255)'],
  ])('rejects a v5 record whose %s is "%s"', (field, value, reason) => {
    const [header, record] = ['version start end tcp-flags flow-direction traffic-path', '5 1714568700 1714568760 2 egress 8'].map((t) => t.split(' '));
    record![header!.indexOf(field)] = value;
    expect(decodeFlowLog(NAME, `${header!.join(' ')}\n${record!.join(' ')}`, ORIGIN).problems).toEqual([{ input: NAME, line: 2, reason, level: 'error' }]);
  });

  it('gives records of a default-format file the default fields only', () => {
    expect(Object.keys(decodeFlowLog(NAME, line(), ORIGIN).records[0]!)).toEqual(Object.keys(expected()));
  });

  it('rejects a line with too few or too many fields', () => {
    const text = [HEADER, line().split(' ').slice(0, 13).join(' '), `${line()} extra`].join('\n');
    expect(decodeFlowLog(NAME, text, ORIGIN).problems).toEqual([
      { input: NAME, line: 2, reason: 'has 13 fields, the format names 14', level: 'error' },
      { input: NAME, line: 3, reason: 'has 15 fields, the format names 14', level: 'error' },
    ]);
  });
});

describe('which account and region a flow record belongs to', () => {
  it('rejects a record naming another account than the folder it was delivered under', () => {
    const decoded = decodeFlowLog(NAME, `${HEADER}\n${line({ 'account-id': '111122223333' })}\n${line()}`, ORIGIN);
    expect(decoded).toEqual({
      records: [expected()],
      problems: [{ input: NAME, line: 2, reason: 'record names account 111122223333 but was delivered under account 123456789012', level: 'error' }],
    });
  });

  it("gives a record without an account-id the delivery folder's account", () => {
    expect(decodeFlowLog(NAME, line({ 'account-id': '-' }), ORIGIN)).toEqual({ records: [expected()], problems: [] });
  });

  it("uses the record's account-id in a loose file, and refuses a record with neither", () => {
    const decoded = decodeFlowLog('flows.txt', [line({ 'account-id': '111122223333' }), line({ 'account-id': '-' })].join('\n'), { region: 'eu-west-1' });
    expect(decoded).toEqual({
      records: [expected({ account: '111122223333' })],
      problems: [{ input: 'flows.txt', line: 2, reason: 'no account: the path names none and the record has no account-id', level: 'error' }],
    });
  });

  it('refuses a record whose region neither the path nor a region field names', () => {
    expect(decodeFlowLog('flows.txt', line(), { account: ACCOUNT }).problems).toEqual([
      { input: 'flows.txt', line: 1, reason: 'no region: the path names none and the record has no region field', level: 'error' },
    ]);
  });
});

describe('decoding flow-log bytes', () => {
  const text = [HEADER, ...Array.from({ length: 3000 }, (_, i) => line({ srcport: String(1024 + i), bytes: String(i * 7919) }))].join('\n');

  it('reads gzip by its magic bytes', async () => {
    expect(await decodeFlowLogBytes(NAME, gzipSync(text), ORIGIN)).toEqual(decodeFlowLog(NAME, text, ORIGIN));
  });

  it('reads what a truncated gzip held, and reports the damage first', async () => {
    const zipped = gzipSync(text);
    const decoded = await decodeFlowLogBytes(NAME, zipped.subarray(0, Math.floor(zipped.length * 0.6)), ORIGIN);
    const recovered = Number(/reading the (\d+) bytes recovered$/.exec(decoded.problems[0]?.reason ?? '')?.[1]);
    expect(recovered).toBeGreaterThan(0);
    expect(recovered).toBeLessThan(text.length);
    expect(decoded.problems[0]).toEqual({ input: NAME, reason: `corrupt gzip (unexpected end of file); reading the ${recovered} bytes recovered`, level: 'error' });
    const prefix = decodeFlowLog(NAME, text.slice(0, recovered), ORIGIN);
    expect(decoded).toEqual({ records: prefix.records, problems: [decoded.problems[0], ...prefix.problems] });
    expect(prefix.records.length).toBeGreaterThan(0);
  });

  it('reports a gzip truncated before any data, with no records', async () => {
    expect(await decodeFlowLogBytes(NAME, gzipSync(text).subarray(0, 10), ORIGIN)).toEqual({
      records: [],
      problems: [{ input: NAME, reason: 'corrupt gzip (unexpected end of file); reading the 0 bytes recovered', level: 'error' }],
    });
  });

  it('refuses text that decompresses beyond the limit', async () => {
    expect(await decodeFlowLogBytes(NAME, gzipSync(text), ORIGIN, { maxTextBytes: 1000 })).toEqual({
      records: [],
      problems: [{ input: NAME, reason: 'decompresses to more than the limit of 1000 bytes; not read', level: 'error' }],
    });
  });

  it('notes an empty file and a file of blank lines', async () => {
    expect(await decodeFlowLogBytes(NAME, new Uint8Array(0), ORIGIN)).toEqual({ records: [], problems: [{ input: NAME, reason: 'empty file (0 bytes), nothing to read', level: 'notice' }] });
    expect(await decodeFlowLogBytes(NAME, Buffer.from('\r\n  \n'), ORIGIN)).toEqual({ records: [], problems: [{ input: NAME, reason: 'no content after decompression', level: 'notice' }] });
  });

  it('lists the first hundred bad lines of a file in an unknown format and counts the rest', () => {
    const decoded = decodeFlowLog(NAME, Array.from({ length: 250 }, () => 'not a flow record').join('\n'), ORIGIN);
    expect(decoded.records).toEqual([]);
    expect(decoded.problems).toHaveLength(MAX_LISTED_LINE_PROBLEMS + 1);
    expect(decoded.problems[0]).toEqual({ input: NAME, line: 1, reason: 'has 4 fields, the format names 14', level: 'error' });
    expect(decoded.problems.at(-1)).toEqual({ input: NAME, reason: '150 more lines rejected; only the first 100 are listed', level: 'error' });
  });

  it('never throws on binary garbage', async () => {
    const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    const decoded = await decodeFlowLogBytes(NAME, garbage, ORIGIN);
    expect(decoded.records).toEqual([]);
    expect(decoded.problems.length).toBeGreaterThan(0);
  });
});
