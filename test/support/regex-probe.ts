/**
 * Run in a child process by test/core/rule-regex.test.ts: loads rules whose regexes backtrack
 * catastrophically on V8 (`^(a+)+$` takes minutes on 34 a's) and evaluates them on 34 a's and on
 * 100 KB of a's, each followed by "!". Prints, per rule id, whether it matched each event. The test
 * kills this process if it does not finish in time, so a backtracking engine fails it.
 */
import { loadRules } from '../../central/core/rules/load.js';
import { decodeTestRecords } from '../../central/core/rules/self-test.js';

const record = (userAgent: string, n: number) => ({
  eventVersion: '1.08', eventID: `00000000-0000-4000-8000-00000000000${n}`, eventTime: '2026-11-20T09:00:00Z',
  eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', recipientAccountId: '111122223333',
  sourceIPAddress: '192.0.2.10', userAgent, userIdentity: { type: 'IAMUser', accountId: '111122223333', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' },
});

const native = (id: string, regex: string) => ({
  file: `probe/${id}.yaml`,
  text: `id: ${id}
title: probe
description: A regex that backtracks catastrophically on a backtracking engine.
severity: LOW
types: ["TTPs/Discovery"]
mitre: [T1580]
runbook: "1. Nothing."
reference: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html
events: [{ source: s3.amazonaws.com, names: [GetObject] }]
match: { path: userAgent, regex: ${JSON.stringify(regex)} }
tests:
  - { name: fires, fires: true, event: ${JSON.stringify(record('aaa', 1))} }
  - { name: quiet, fires: false, event: ${JSON.stringify(record('b', 2))} }
`,
});

const sigma = (id: string, field: string, value: string) => ({
  file: `probe/${id}.yml`,
  text: `title: probe
logsource: { product: aws, service: cloudtrail }
detection:
  selection:
    eventSource: s3.amazonaws.com
    ${field}: ${JSON.stringify(value)}
  condition: selection
level: low
`,
});

const { rules, problems } = loadRules([
  native('nested-plus', '^(a+)+$'),
  native('overlapping-alternatives', '(a|aa)*$'),
  native('repeated-dot-star', '(.*a){12}$'),
  sigma('sigma_re', 'userAgent|re', '^(a+)+$'),
  sigma('sigma_wildcards', 'userAgent', '*a*a*a*a*a*b'),
  sigma('sigma_contains', 'userAgent|contains', 'a*a*a*a*a*b'),
]);
if (problems.length) throw new Error(JSON.stringify(problems));
const decoded = decodeTestRecords([record(`${'a'.repeat(34)}!`, 3), record(`${'a'.repeat(100_000)}!`, 4)], 'probe');
if ('reason' in decoded) throw new Error(decoded.reason);
const out = Object.fromEntries(rules.map((r) => [r.id, decoded.events.map((e) => r.matches(e))]));
process.stdout.write(JSON.stringify(out));
