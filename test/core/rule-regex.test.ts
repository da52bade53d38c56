import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../central/core/rules/load.js';
import { loadRuleFolders } from '../../central/local/rule-files.js';

const PROBE = fileURLToPath(new URL('../support/regex-probe.ts', import.meta.url));

/** Runs the probe in a child process, killed after `ms`: a backtracking engine would still be running. */
function probe(ms: number): Promise<Record<string, boolean[]>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', PROBE], { timeout: ms, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`probe did not finish within ${ms} ms (${err.signal ?? err.message}): ${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, boolean[]>);
    });
  });
}

describe('rule regexes cannot stall the pipeline', () => {
  it('evaluates catastrophic patterns on 34 a\'s and on 100 KB of a\'s, correctly and to the end', async () => {
    // On V8's backtracking engine the first pattern alone takes minutes on 34 a's; the child is killed long before.
    expect(await probe(60_000)).toEqual({
      'nested-plus': [false, false],
      'overlapping-alternatives': [true, true],
      'repeated-dot-star': [false, false],
      'sigma-sigma-re': [false, false],
      'sigma-sigma-wildcards': [false, false],
      'sigma-sigma-contains': [false, false],
    });
  }, 90_000);
});

describe('patterns RE2 cannot run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skywatch-rule-regex-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rule = (id: string, condition: string) => `id: ${id}
title: "{{actor.name}} listed buckets"
description: A user rule.
severity: LOW
types: ["TTPs/Discovery"]
mitre: [T1619]
runbook: "1. Ask {{actor.name}}."
reference: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
events: [{ source: s3.amazonaws.com, names: [ListBuckets] }]
match:
  all:
    - { path: actor.type, equals: IAMUser }
    - ${condition}
tests:
  - { name: fires, fires: true, event: { eventVersion: "1.08", eventID: 11111111-1111-4111-8111-111111111111, eventTime: "2026-11-20T09:00:00Z", eventSource: s3.amazonaws.com, eventName: ListBuckets, awsRegion: us-east-1, recipientAccountId: "111122223333", sourceIPAddress: 192.0.2.10, userAgent: aws-cli/2.15.30, userIdentity: { type: IAMUser, accountId: "111122223333", userName: alice, arn: "arn:aws:iam::111122223333:user/alice" } } }
  - { name: quiet, fires: false, event: { eventVersion: "1.08", eventID: 22222222-2222-4222-8222-222222222222, eventTime: "2026-11-20T09:00:00Z", eventSource: s3.amazonaws.com, eventName: ListBuckets, awsRegion: us-east-1, recipientAccountId: "111122223333", sourceIPAddress: 192.0.2.10, userAgent: Boto3/1.34.84, userIdentity: { type: IAMUser, accountId: "111122223333", userName: alice, arn: "arn:aws:iam::111122223333:user/alice" } } }
`;

  it('reports a lookahead or backreference in a --rules folder with its file and line, and loads the other rules', () => {
    writeFileSync(join(dir, 'cli-without-boto.yaml'), rule('cli-without-boto', "{ path: userAgent, regex: '^(?!Boto3)aws-cli/' }"));
    writeFileSync(join(dir, 'repeated-agent.yaml'), rule('repeated-agent', "{ path: userAgent, regex: '^(aws)-\\1' }"));
    writeFileSync(join(dir, 'cli-user.yaml'), rule('cli-user', '{ path: userAgent, prefix: aws-cli/ }'));
    const { rules, problems } = loadRuleFolders([dir]);
    const file = (name: string) => problems.find((p) => p.file.endsWith(name));
    expect(problems.map((p) => p.file.split(/[\\/]/).pop()).sort()).toEqual(['cli-without-boto.yaml', 'repeated-agent.yaml']);
    expect(file('cli-without-boto.yaml')).toMatchObject({
      line: 13,
      reason: 'unsupported regex at userAgent: negative lookahead "(?!" is not supported: rule regexes run on RE2, in linear time, which has no lookaround or backreferences',
    });
    expect(file('repeated-agent.yaml')).toMatchObject({ line: 13, reason: expect.stringMatching(/^unsupported regex at userAgent: backreference "\\1" is not supported/) });
    expect(rules.filter((r) => r.file.startsWith(dir)).map((r) => r.id)).toEqual(['cli-user']);
    expect(rules.map((r) => r.id)).toContain('root-account-usage');
  });

  it('makes a Sigma |re with a lookahead an unsupported rule, at the line of its detection', () => {
    const text = `title: Console login not from the VPN
logsource: { product: aws, service: cloudtrail }
detection:
  selection:
    eventName: ConsoleLogin
    sourceIPAddress|re: '^(?!192\\.0\\.2\\.)'
  condition: selection
level: medium
`;
    expect(loadRules([{ file: 'sigma/console_login_outside_vpn.yml', text }]).problems).toEqual([
      {
        file: 'sigma/console_login_outside_vpn.yml',
        line: 3,
        kind: 'unsupported',
        reason: 'unsupported Sigma feature: negative lookahead "(?!" is not supported: rule regexes run on RE2, in linear time, which has no lookaround or backreferences (in selection: sourceIPAddress|re)',
      },
    ]);
  });
});
