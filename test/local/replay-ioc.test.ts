/**
 * IOC lists on CloudTrail: a call from a listed address, or with a scanner's user agent, is an IOC
 * finding in the account it happened in, whether files are matched inline or on worker threads.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadRuleFolders } from '../../central/local/rule-files.js';
import { replay } from '../../central/local/replay.js';
import { loadIocMatcher } from '../../central/local/statistics-files.js';
import { validateAsffFinding } from '../support/aws-model.js';
import { cloudTrailRecord } from '../support/cloudtrail.js';
import { ManualClock } from '../support/detector.js';

const { rules, sources } = loadRuleFolders();
const { matcher, lists } = loadIocMatcher({ now: new Date('2026-11-03T00:00:00Z') });

function writeTrail(dir: string): void {
  const folder = join(dir, 'logs/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/02');
  mkdirSync(folder, { recursive: true });
  const records = [
    cloudTrailRecord({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', sourceIPAddress: '203.0.113.66', eventID: 'e0b1c2d3-0000-4000-8000-000000000001', eventTime: '2026-11-02T09:14:03Z' }),
    cloudTrailRecord({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', sourceIPAddress: '203.0.113.66', eventID: 'e0b1c2d3-0000-4000-8000-000000000002', eventTime: '2026-11-02T09:20:00Z' }),
    cloudTrailRecord({ eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com', sourceIPAddress: '198.51.100.14', userAgent: 'sqlmap/1.7.2#stable (https://sqlmap.org)', eventID: 'e0b1c2d3-0000-4000-8000-000000000003' }),
    cloudTrailRecord({ eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', sourceIPAddress: '192.0.2.44', eventID: 'e0b1c2d3-0000-4000-8000-000000000004' }),
  ];
  writeFileSync(join(folder, '111122223333_CloudTrail_us-east-1_20261102T0915Z_a1b2c3d4e5f6a7b8.json.gz'), gzipSync(JSON.stringify({ Records: records })));
}

describe('IOC lists on CloudTrail events', () => {
  it.each([0, 1])('are IOC findings with the call named (threads: %i)', async (threads) => {
    const dir = mkdtempSync(join(tmpdir(), 'skywatch-replay-ioc-'));
    writeTrail(dir);
    const report = await replay({ paths: [join(dir, 'logs')], stateDir: join(dir, 'state'), rules, ruleSources: sources, threads, clock: new ManualClock(), ioc: matcher, iocLists: lists });
    const ioc = report.findings.filter((f) => f.ProductFields['skywatch/EventKind'] === 'ioc').sort((a, b) => a.Id.localeCompare(b.Id));
    expect(ioc.map((f) => [f.ProductFields['skywatch/Ioc/List'], f.ProductFields['skywatch/Ioc/Indicator'], f.ProductFields['skywatch/Ioc/Log'], f.ProductFields['skywatch/EventCount']]).sort()).toEqual([
      ['demo-known-bad', '203.0.113.66', 'cloudtrail', '2'],
      ['scanner-user-agents', 'sqlmap', 'cloudtrail', '1'],
    ]);
    for (const f of ioc) {
      expect(validateAsffFinding(f)).toEqual([]);
      expect(f.AwsAccountId).toBe('111122223333');
    }
    const address = ioc.find((f) => f.ProductFields['skywatch/Ioc/List'] === 'demo-known-bad')!;
    expect(address).toMatchObject({ FirstObservedAt: '2026-11-02T09:14:03Z', LastObservedAt: '2026-11-02T09:20:00Z', Network: { SourceIpV4: '203.0.113.66' } });
    expect(address.ProductFields['skywatch/Investigate']).toBe('ip-activity ip=203.0.113.66');
    expect(address.Description).toContain('ListBuckets (s3.amazonaws.com) by arn:aws:sts::111122223333:assumed-role/');
  });
});
