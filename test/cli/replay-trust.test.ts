/**
 * `skywatch replay` trusts what AWS says, not what an input claims: the account of an EventBridge
 * envelope is its sender's, and a record's time must be a real instant.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skywatch, writeInput } from '../support/cli.js';
import { apiCallEnvelope, cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { FORGER, VICTIM, victimRootKey } from '../support/forged.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skywatch-trust-'));
});

describe('skywatch replay of envelopes and times it cannot trust', () => {
  it('makes no finding in the account a forged envelope names, and reports the rejection', () => {
    const file = join(dir, 'bus/exported.jsonl');
    writeInput(file, `${JSON.stringify({ ...apiCallEnvelope(victimRootKey()), account: FORGER })}\n`);
    const run = skywatch(['replay', file, '--state', join(dir, 'state-forged'), '--json']);
    const report = JSON.parse(run.stdout);
    expect(run.code).toBe(3);
    expect(report.findings).toEqual([]);
    expect(report.problems).toEqual([expect.objectContaining({ line: 1, level: 'error', reason: `rejected: "AWS API Call via CloudTrail" event sent by account ${FORGER} claims account ${VICTIM} in detail.recipientAccountId` })]);
    expect(skywatch(['findings', '--state', join(dir, 'state-forged'), '--account', VICTIM, '--json']).stdout.trim()).toBe('');
  });

  it('reports each record whose eventTime is not a sane instant by file and line, and detects on the rest', () => {
    const root = (eventTime: string) => cloudTrailRecord({ userIdentity: rootIdentity, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'us-east-1', eventTime });
    const file = join(dir, 'exports/times.jsonl');
    const lines = ['2026-02-30T10:00:00Z', 'yesterday', '2009-12-31T23:59:59Z', '2099-01-01T00:00:00Z', '2026-11-02T09:14:03+01:00'].map((t) => JSON.stringify(root(t)));
    writeInput(file, lines.join('\n') + '\n');
    const run = skywatch(['replay', file, '--state', join(dir, 'state-times'), '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.problems.map((p: { line: number; reason: string }) => [p.line, p.reason.replace(/\(20\d\d-.*\)$/, '(now)')])).toEqual([
      [1, 'eventTime "2026-02-30T10:00:00Z" is not a real date and time'],
      [2, 'eventTime "yesterday" is not an RFC 3339 time'],
      [3, 'eventTime 2009-12-31T23:59:59Z is before 2010'],
      [4, 'eventTime 2099-01-01T00:00:00Z is more than a day ahead of the clock (now)'],
    ]);
    // The one valid record, given with an offset, is stored in UTC.
    expect(report.findings.map((f: { FirstObservedAt: string; LastObservedAt: string }) => [f.FirstObservedAt, f.LastObservedAt])).toEqual([['2026-11-02T08:14:03.000Z', '2026-11-02T08:14:03.000Z']]);
  });
});
