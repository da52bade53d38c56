/**
 * `skywatch replay` over network logs in the S3 layout: seven days of ordinary traffic, then an
 * attack day. The report names what stood out, with its source and destination.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { skywatch, writeInput } from '../support/cli.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const START = Date.UTC(2026, 10, 9) / 1000;
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const work = mkdtempSync(join(tmpdir(), 'skywatch-replay-network-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small deterministic noise in [-1, 1). */
const wobble = (i: number) => (((i * 2654435761) >>> 0) % 2000) / 1000 - 1;
const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10).replace(/-/g, '/');
const stamp = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace(/[-:]/g, '');

/** Eight days of flow logs, one file an hour; the port scan and the exfiltration on the eighth. */
function writeFlowLogs(root: string): void {
  for (let hour = 0; hour < 8 * 24; hour++) {
    const lines = [HEADER];
    for (let w = 0; w < 12; w++) {
      const t = START + hour * 3600 + w * 300;
      const i = hour * 12 + w;
      const flow = (src: string, dst: string, sport: number, dport: number, bytes: number, action = 'ACCEPT', at = t + 10) =>
        lines.push(`2 ${ACCOUNT} eni-0a1b2c3d4e5f60718 ${src} ${dst} ${sport} ${dport} 6 ${Math.ceil(bytes / 1400)} ${bytes} ${at} ${at + 50} ${action} OK`);
      for (let c = 0; c < 6; c++) flow(`100.${20 + ((i + c) % 40)}.${c}.7`, '10.0.1.10', 50_000 + c, 443, 4_000 + 100 * c);
      flow('10.0.2.20', '52.94.76.10', 43_210, 443, Math.round(5_000_000 * (1 + 0.2 * wobble(i))));
      flow(`101.${i % 200}.9.9`, '10.0.1.10', 61_000, 22, 60, 'REJECT');
    }
    if (hour === 7 * 24 + 3) for (let port = 1; port <= 1_000; port++) lines.push(`2 ${ACCOUNT} eni-0a1b2c3d4e5f60718 198.51.100.23 10.0.1.10 40404 ${port} 6 1 44 ${START + hour * 3600 + 60 + (port % 200)} ${START + hour * 3600 + 61 + (port % 200)} REJECT OK`);
    if (hour === 7 * 24 + 5) for (let k = 0; k < 3; k++) lines.push(`2 ${ACCOUNT} eni-0fedcba9876543210 10.0.2.21 203.0.113.200 51515 443 6 400000 600000000 ${START + hour * 3600 + 30 + k * 60} ${START + hour * 3600 + 89 + k * 60} ACCEPT OK`);
    const t = START + hour * 3600;
    writeInput(join(root, `AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/${day(t)}/${ACCOUNT}_vpcflowlogs_${REGION}_fl-0a1b2c3d_${stamp(t)}Z_5f3e2a1b.log.gz`), gzipSync(lines.join('\n') + '\n'));
  }
}

/** Eight days of WAF logs, one file an hour; a burst from one client on the eighth. */
function writeWafLogs(root: string): void {
  const acl = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/shop-web/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
  const request = (ts: number, clientIp: string, uri: string, method: string, action = 'ALLOW', rule = 'Default_Action') =>
    JSON.stringify({
      timestamp: ts * 1000, formatVersion: 1, webaclId: acl, terminatingRuleId: rule, terminatingRuleType: rule === 'Default_Action' ? 'REGULAR' : 'RATE_BASED', action,
      terminatingRuleMatchDetails: [], httpSourceName: 'ALB', httpSourceId: `${ACCOUNT}-app/shop/0123456789abcdef`, ruleGroupList: [], rateBasedRuleList: [], nonTerminatingMatchingRules: [],
      requestHeadersInserted: null, responseCodeSent: null,
      httpRequest: { clientIp, country: 'US', headers: [{ name: 'Host', value: 'shop.example.com' }, { name: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' }], uri, args: '', httpVersion: 'HTTP/2.0', httpMethod: method, requestId: `1-${ts.toString(16)}-${clientIp.replace(/\./g, '')}` },
      labels: [],
    });
  for (let hour = 0; hour < 8 * 24; hour++) {
    const lines: string[] = [];
    for (let w = 0; w < 12; w++) {
      const t = START + hour * 3600 + w * 300;
      for (let c = 0; c < 8; c++) for (let r = 0; r < 3 + (c % 3); r++) lines.push(request(t + c * 20 + r, `100.${40 + ((hour * 12 + w + c) % 60)}.${c}.3`, c % 2 ? '/cart' : '/', 'GET'));
    }
    if (hour === 7 * 24 + 11) for (let r = 0; r < 2_500; r++) lines.push(request(START + hour * 3600 + 30 + (r % 240), '192.0.2.77', '/login', 'POST', r < 100 ? 'ALLOW' : 'BLOCK', r < 100 ? 'Default_Action' : 'login-rate-limit'));
    const t = START + hour * 3600;
    writeInput(join(root, `AWSLogs/${ACCOUNT}/WAFLogs/${REGION}/shop-web/${day(t)}/${stamp(t).slice(9, 11)}/00/${ACCOUNT}_waflogs_${REGION}_shop-web_${stamp(t)}Z_9c8b7a6d.log.gz`), gzipSync(lines.join('\n') + '\n'));
  }
}

function replayJson(folder: string): { report: { network: Record<string, number>; problems: unknown[] }; findings: AsffFinding[] } {
  const state = join(folder, 'state');
  const run = skywatch(['replay', join(folder, 'AWSLogs'), '--state', state, '--json'], undefined, { timeoutMs: 170_000 });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout);
  return { report, findings: report.findings };
}

describe('skywatch replay over network logs', () => {
  it('reports a port scan and an exfiltration burst on day 8 of flow logs, naming source and destination', () => {
    const folder = join(work, 'flow');
    writeFlowLogs(folder);
    const { report, findings } = replayJson(folder);
    expect(report.network).toMatchObject({ files: 192, records: 8 * 24 * 12 * 8 + 1_003 });
    const scan = findings.find((f) => f.GeneratorId === 'skywatch/statistics/flow-vertical-port-scan');
    expect(scan).toMatchObject({ AwsAccountId: ACCOUNT, Region: REGION, Network: { SourceIpV4: '198.51.100.23', DestinationIpV4: '10.0.1.10', Direction: 'IN' } });
    expect(scan!.Title).toContain('source 198.51.100.23, destination 10.0.1.10');
    const exfil = findings.find((f) => f.GeneratorId === 'skywatch/statistics/flow-bytes-to-external-address');
    expect(exfil).toMatchObject({ Severity: { Label: 'HIGH' }, Network: { SourceIpV4: '10.0.2.21', DestinationIpV4: '203.0.113.200', Direction: 'OUT' } });
    expect(exfil!.ProductFields['skywatch/Statistics/Observed']).toBe('1800000000');
    expect(exfil!.Resources[0]).toMatchObject({ Type: 'AwsEc2NetworkInterface', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0fedcba9876543210` });
    // Nothing about the ordinary week.
    for (const f of findings) expect(f.FirstObservedAt >= '2026-11-16').toBe(true);
  }, 180_000);

  it('reports a burst of requests from one client address in WAF logs', () => {
    const folder = join(work, 'waf');
    writeWafLogs(folder);
    const { findings } = replayJson(folder);
    const burst = findings.find((f) => f.GeneratorId === 'skywatch/statistics/waf-requests-per-client-ip');
    expect(burst).toMatchObject({ AwsAccountId: ACCOUNT, Severity: { Label: 'HIGH' }, Network: { SourceIpV4: '192.0.2.77', Direction: 'IN' } });
    expect(burst!.Resources[0]).toMatchObject({ Type: 'AwsWafv2WebAcl', Id: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/shop-web/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111` });
    expect(burst!.Title).toBe('Unusual number of requests from one client address: web ACL shop-web, client 192.0.2.77');
    for (const f of findings) expect(f.FirstObservedAt >= '2026-11-16').toBe(true);
  }, 180_000);
});
