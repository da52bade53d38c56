import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { WafRecord } from '../../../central/core/netlogs/records.js';
import { decodeWafLog, decodeWafLogBytes } from '../../../central/core/netlogs/waf-log.js';
import { FIXTURES } from '../../support/fixtures.js';

type Json = Record<string, unknown>;
const DOCS = (JSON.parse(readFileSync(`${FIXTURES}aws-docs/waf_log_doc_examples.json`, 'utf8')) as Array<{ json: Json }>).map((d) => d.json);

const NAME = 'AWSLogs/123456789012/WAFLogs/eu-west-1/Shop/2024/05/01/13/05/123456789012_waflogs_eu-west-1_Shop_20240501T1305Z_e0ca43b5.log.gz';
const ARN = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/Shop/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';

/** A WAF log record; `overrides` replaces top-level fields, `request` fields of httpRequest. */
function wafJson(overrides: Json = {}, request: Json = {}): Json {
  return {
    timestamp: 1714568742123, formatVersion: 1, webaclId: ARN, terminatingRuleId: 'AWS-AWSManagedRulesSQLiRuleSet', terminatingRuleType: 'MANAGED_RULE_GROUP', action: 'BLOCK',
    httpRequest: { clientIp: '192.0.2.10', country: 'NL', headers: [{ name: 'HOST', value: 'shop.example.com' }, { name: 'User-agent', value: 'sqlmap/1.7' }], uri: '/search', args: 'q=1%27', httpMethod: 'GET', requestId: 'rid-1', ...request },
    labels: [{ name: 'awswaf:managed:aws:sql-database:SQLi_QueryArguments' }],
    ...overrides,
  };
}

const EXPECTED: WafRecord = {
  kind: 'waf', account: '123456789012', region: 'eu-west-1', timestamp: 1714568742123, webAclId: ARN, webAcl: 'Shop', action: 'BLOCK',
  terminatingRuleId: 'AWS-AWSManagedRulesSQLiRuleSet', terminatingRuleType: 'MANAGED_RULE_GROUP', clientIp: '192.0.2.10', country: 'NL', uri: '/search',
  args: 'q=1%27', httpMethod: 'GET', host: 'shop.example.com', userAgent: 'sqlmap/1.7', labels: ['awswaf:managed:aws:sql-database:SQLi_QueryArguments'], requestId: 'rid-1',
};

const lines = (...records: Json[]) => records.map((r) => JSON.stringify(r)).join('\n');

describe('decoding the AWS WAF documentation examples', () => {
  // What the documentation leaves to interpretation: the ARN's parts and the two headers.
  const interpreted: Array<[webAcl: string, account: string, region: string, host: string | undefined, userAgent: string | undefined]> = [
    ['STMTest', '111122223333', 'ap-southeast-2', 'localhost:1989', 'curl/7.61.1'],
    ['hello-world', '123456789012', 'cloudfront', 'localhost:1989', 'curl/7.61.1'],
    ['hello-world', '123456789012', 'cloudfront', 'localhost:1989', 'curl/7.61.1'],
    ['test', '123456789012', 'ap-southeast-2', undefined, undefined],
    ['captcha-web-acl', '123456789012', 'us-east-1', 'b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.54 Safari/537.36'],
    ['captcha-web-acl', '123456789012', 'us-east-1', 'b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.54 Safari/537.36'],
  ];

  /** The record a documented example describes, with the interpreted parts given. */
  function documented(doc: Json, [webAcl, account, region, host, userAgent]: (typeof interpreted)[number]): WafRecord {
    const request = doc.httpRequest as Json;
    return {
      kind: 'waf', account, region, timestamp: doc.timestamp as number, webAclId: doc.webaclId as string, webAcl, action: doc.action as string,
      terminatingRuleId: doc.terminatingRuleId as string, terminatingRuleType: doc.terminatingRuleType as string, clientIp: request.clientIp as string,
      country: request.country as string, uri: request.uri as string, args: request.args as string, httpMethod: request.httpMethod as string, host, userAgent,
      labels: ((doc.labels as Array<{ name: string }> | null) ?? []).map((l) => l.name), requestId: request.requestId as string,
    };
  }

  it('has the seven examples the fixture promises, the last one from WAF Classic', () => {
    expect(DOCS).toHaveLength(7);
    expect(DOCS[6]!.webaclId).toBe('385cb038-3a6f-4f2f-ac64-09ab912af590');
  });

  it.each(interpreted.map((parts, i) => [i, parts] as const))('decodes WAFv2 example %i with the account and region of its ARN', (i, parts) => {
    const decoded = decodeWafLog('waf.jsonl', JSON.stringify(DOCS[i]), {});
    expect(decoded).toEqual({ records: [documented(DOCS[i]!, parts)], problems: [] });
  });

  it('decodes the WAF Classic example, whose bare id names no account, with the account of its delivery', () => {
    const decoded = decodeWafLog(NAME, JSON.stringify(DOCS[6]), { account: '123456789012', region: 'cloudfront' });
    const parts = ['385cb038-3a6f-4f2f-ac64-09ab912af590', '123456789012', 'cloudfront', '127.0.0.1:1989', 'curl/7.51.2'] as const;
    expect(decoded).toEqual({ records: [documented(DOCS[6]!, [...parts])], problems: [] });
  });

  it('refuses the WAF Classic example in a loose file, where nothing names its account', () => {
    expect(decodeWafLog('waf.jsonl', JSON.stringify(DOCS[6]), {}).problems).toEqual([
      { input: 'waf.jsonl', line: 1, reason: 'no account: the path names none and webaclId is not a WAFv2 ARN', level: 'error' },
    ]);
  });
});

describe('decoding a WAF log file', () => {
  it('reads JSON lines delivered under the account of their ARN, with headers of any case', () => {
    expect(decodeWafLog(NAME, `${lines(wafJson())}\r\n\n`, { account: '123456789012', region: 'eu-west-1' })).toEqual({ records: [EXPECTED], problems: [] });
  });

  it('rejects a record whose web ACL belongs to another account than the delivery folder', () => {
    const other = 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/Shop/0a1b2c3d';
    expect(decodeWafLog(NAME, lines(wafJson({ webaclId: other }), wafJson()), { account: '123456789012', region: 'eu-west-1' })).toEqual({
      records: [EXPECTED],
      problems: [{ input: NAME, line: 1, reason: 'record names account 111122223333 (in its web ACL ARN) but was delivered under account 123456789012', level: 'error' }],
    });
  });

  it("files a CloudFront web ACL's records under cloudfront, though its ARN says us-east-1", () => {
    const global = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/Edge/0a1b2c3d';
    expect(decodeWafLog('firehose.gz', lines(wafJson({ webaclId: global })), {}).records).toEqual([{ ...EXPECTED, webAclId: global, webAcl: 'Edge', region: 'cloudfront' }]);
  });

  it('keeps lines 1 and 3 when line 2 is not JSON, and names line 2', () => {
    const text = [JSON.stringify(wafJson()), '{"timestamp": 17145687', JSON.stringify(wafJson({ action: 'ALLOW' }))].join('\n');
    const decoded = decodeWafLog(NAME, text, {});
    expect(decoded.records).toEqual([EXPECTED, { ...EXPECTED, action: 'ALLOW' }]);
    expect(decoded.problems).toHaveLength(1);
    expect(decoded.problems[0]).toMatchObject({ input: NAME, line: 2, level: 'error' });
    expect(decoded.problems[0]!.reason).toMatch(/^not JSON \(/);
  });

  it.each([
    ['timestamp is missing or not a number of milliseconds', wafJson({ timestamp: undefined })],
    ['timestamp is missing or not a number of milliseconds', wafJson({ timestamp: '1714568742123' })],
    ['timestamp 1714568742 is not a plausible time in milliseconds', wafJson({ timestamp: 1714568742 })],
    ['webaclId is missing', wafJson({ webaclId: '' })],
    ['action is missing', wafJson({ action: undefined })],
    ['terminatingRuleId is missing', wafJson({ terminatingRuleId: 7 })],
    ['httpRequest is missing', wafJson({ httpRequest: 'GET /' })],
    ['httpRequest.clientIp is missing', wafJson({}, { clientIp: undefined })],
    ['httpRequest.uri is missing', wafJson({}, { uri: undefined })],
    ['not a WAF log record (not a JSON object)', [wafJson()]],
  ])('rejects the record with the reason "%s"', (reason, record) => {
    expect(decodeWafLog(NAME, JSON.stringify(record), {})).toEqual({ records: [], problems: [{ input: NAME, line: 1, reason, level: 'error' }] });
  });

  it('reads a record without optional fields, its labels null', () => {
    const bare = wafJson({ terminatingRuleType: undefined, labels: null }, { country: undefined, args: undefined, httpMethod: undefined, headers: 'none', requestId: undefined });
    expect(decodeWafLog(NAME, JSON.stringify(bare), {}).records).toEqual([
      { ...EXPECTED, terminatingRuleType: undefined, labels: [], country: undefined, args: undefined, httpMethod: undefined, host: undefined, userAgent: undefined, requestId: undefined },
    ]);
  });
});

describe('decoding WAF log bytes', () => {
  const text = Array.from({ length: 2000 }, (_, i) => JSON.stringify(wafJson({ timestamp: 1714568742123 + i }))).join('\n');

  it('reads gzip by its magic bytes', async () => {
    expect(await decodeWafLogBytes(NAME, gzipSync(text), {})).toEqual(decodeWafLog(NAME, text, {}));
  });

  it('reads what a truncated gzip held, and reports the damage', async () => {
    const zipped = gzipSync(text);
    const decoded = await decodeWafLogBytes(NAME, zipped.subarray(0, Math.floor(zipped.length / 2)), {});
    const recovered = Number(/reading the (\d+) bytes recovered$/.exec(decoded.problems[0]?.reason ?? '')?.[1]);
    expect(recovered).toBeGreaterThan(0);
    const prefix = decodeWafLog(NAME, text.slice(0, recovered), {});
    expect(prefix.records.length).toBeGreaterThan(0);
    expect(decoded).toEqual({ records: prefix.records, problems: [{ input: NAME, reason: `corrupt gzip (unexpected end of file); reading the ${recovered} bytes recovered`, level: 'error' }, ...prefix.problems] });
  });

  it('notes an empty file', async () => {
    expect(await decodeWafLogBytes(NAME, new Uint8Array(0), {})).toEqual({ records: [], problems: [{ input: NAME, reason: 'empty file (0 bytes), nothing to read', level: 'notice' }] });
  });
});
