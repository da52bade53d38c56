import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput as write } from '../support/cli.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';

const ORG_DAY = 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/02';
let dir: string;
let logs: string;
const rootCall = cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1' });
const keyForOther = cloudTrailRecord({
  eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', awsRegion: 'us-east-1', readOnly: false, requestParameters: { userName: 'billing-reports' },
  responseElements: { accessKey: { userName: 'billing-reports', accessKeyId: 'AKIAEXAMPLENEWKEY001', status: 'Active', createDate: 'Nov 2, 2026 9:20:00 AM' } },
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-cli-'));
  logs = join(dir, 'logs');
  const good = gzipSync(JSON.stringify({ Records: [cloudTrailRecord(), rootCall, cloudTrailRecord()] }));
  write(join(logs, ORG_DAY, '111122223333_CloudTrail_us-east-1_20261102T0915Z_good0000000001.json.gz'), good);
  write(join(logs, ORG_DAY, '111122223333_CloudTrail_us-east-1_20261102T0920Z_corrupt0000001.json.gz'), Buffer.concat([good.subarray(0, 10), Buffer.from('definitely not deflate data')]));
  write(join(logs, ORG_DAY, '111122223333_CloudTrail_us-east-1_20261102T0925Z_empty000000001.json.gz'), Buffer.alloc(0));
  write(join(logs, 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261102T1000Z.json.gz'), gzipSync('{"awsAccountId":"111122223333"}'));
  const truncated = JSON.stringify({ Records: [keyForOther, cloudTrailRecord()] });
  write(join(logs, 'exports/truncated.json'), truncated.slice(0, truncated.length - 40));
  const noName = cloudTrailRecord();
  delete noName.eventName;
  write(join(logs, 'exports/lines.jsonl'), `${JSON.stringify(cloudTrailRecord())}\n{"eventVersion": oops}\n${JSON.stringify(noName)}\n`);
});

describe('skywatch replay', () => {
  it('reports each bad input by name and reason, processes the rest, and exits 3', () => {
    const run = skywatch(['replay', logs, '--state', join(dir, 'state-a')]);
    expect(run.code).toBe(3);
    const errors = run.stderr.split('\n').filter(Boolean);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^skywatch: input error: .*_corrupt0000001\.json\.gz: corrupt gzip \(/),
      expect.stringMatching(/^skywatch: notice: .*_empty000000001\.json\.gz: empty file \(0 bytes\), nothing to read$/),
      expect.stringMatching(/^skywatch: input error: .*exports\/truncated\.json: truncated or invalid JSON .*kept 1 complete records/),
      expect.stringMatching(/^skywatch: input error: .*exports\/lines\.jsonl:2: not JSON \(/),
      expect.stringMatching(/^skywatch: input error: .*exports\/lines\.jsonl:3: record has no eventName$/),
    ]));
    expect(errors).toHaveLength(5);
    expect(run.stdout).toContain('Replayed 5 events from 6 files, skipped 1 (CloudTrail digest file).');
    expect(run.stdout).toContain('Findings: 2 (2 created, 0 updated).');
    expect(run.stdout).toMatch(/root-account-usage\s+1/);
    expect(run.stdout).toMatch(/iam-access-key-created-for-another-user\s+1/);
  });

  it('gives the same finding Ids and no duplicates when the same input is replayed into the same state', () => {
    const state = join(dir, 'state-b');
    const out1 = join(dir, 'first.jsonl');
    const first = skywatch(['replay', logs, '--state', state, '--json', '--out', out1]);
    const second = skywatch(['replay', logs, '--state', state, '--json']);
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
    expect(a.stored).toEqual({ created: 2, updated: 0, ignored: 0 });
    expect(b.stored).toEqual({ created: 0, updated: 0, ignored: 0 });
    expect(b.findings).toEqual([]);
    const written = readFileSync(out1, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(written.map((f) => f.Id).sort()).toEqual(a.findings.map((f: { Id: string }) => f.Id).sort());
    const listed = skywatch(['findings', '--state', state, '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(listed.map((f) => f.Id).sort()).toEqual(written.map((f) => f.Id).sort());
    expect(readFileSync(join(state, 'findings.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('lists problems in the JSON report with their input and position', () => {
    const run = skywatch(['replay', join(logs, 'exports'), '--state', join(dir, 'state-c'), '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.problems.map((p: { input: string; line?: number }) => [p.input.split('/').pop(), p.line ?? null])).toEqual([
      ['lines.jsonl', 2], ['lines.jsonl', 3], ['truncated.json', null],
    ]);
    expect(report.events).toBe(2);
  });

  it('filters findings by severity, account and rule', () => {
    const state = join(dir, 'state-d');
    skywatch(['replay', logs, '--state', state]);
    const ids = (args: string[]) => skywatch(['findings', '--state', state, '--json', ...args]).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).ProductFields['skywatch/RuleId']);
    expect(ids(['--rule', 'root-account-usage'])).toEqual(['root-account-usage']);
    expect(ids(['--account', '444455556666'])).toEqual([]);
    expect(ids(['--severity', 'critical'])).toEqual([]);
    expect(ids(['--severity', 'high']).sort()).toEqual(['iam-access-key-created-for-another-user', 'root-account-usage']);
  });
});

describe('the skywatch command line', () => {
  it.each([[[]], [['replay']], [['rules']], [['rules', 'list']], [['rules', 'test']], [['findings']], [['demo']]])('prints help for %j and exits 0', (args) => {
    const run = skywatch([...args, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: skywatch/);
  });

  it('exits 2 on a usage error', () => {
    expect(skywatch(['replay']).code).toBe(2);
    expect(skywatch(['findings', '--severity', 'urgent']).code).toBe(2);
    expect(skywatch(['no-such-command']).code).toBe(2);
  });

  it('runs the rule tests and exits 0 when they pass', () => {
    const run = skywatch(['rules', 'test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('exits 4 when a rule test fails', () => {
    const rules = join(dir, 'my-rules');
    const text = readFileSync(new URL('../../rules/cloudtrail/root-account-usage.yaml', import.meta.url), 'utf8')
      .replace('id: root-account-usage', 'id: my-root-rule')
      .replace('- { path: actor.type, equals: Root }', '- { path: actor.type, equals: IAMUser }');
    write(join(rules, 'my-root-rule.yaml'), text);
    const run = skywatch(['rules', 'test', '--rules', rules]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('FAIL my-root-rule');
  });
});
