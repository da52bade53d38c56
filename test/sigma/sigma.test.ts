import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../../central/core/rules/engine.js';
import { loadRules } from '../../central/core/rules/load.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { readRuleSources } from '../../central/local/rule-files.js';
import { cloudTrailRecord, rootIdentity } from '../support/cloudtrail.js';
import { eventOf } from '../support/detector.js';
import { FIXTURES, readJsonLines } from '../support/fixtures.js';

type Json = Record<string, unknown>;

/** Compiles one Sigma rule from its detection block, failing the test if it does not load. */
function sigma(detection: string, status = 'test'): CompiledRule {
  const { rules, problems } = loadSigma(detection, status);
  expect(problems).toEqual([]);
  return rules[0]!;
}

function loadSigma(detection: string, status = 'test') {
  const text = `title: Test rule
id: 00000000-0000-4000-8000-000000000000
status: ${status}
description: A crafted rule for semantics tests.
author: Skywatch tests
tags: [attack.defense-impairment, attack.t1562.008]
logsource:
  product: aws
  service: cloudtrail
detection:
${detection.replace(/^/gm, '  ')}
level: high
`;
  return loadRules([{ file: 'rules/sigma/test_rule.yml', text }]);
}

function fires(rule: CompiledRule, record: Json): boolean {
  const event = eventOf(record);
  return new RuleEngine([rule]).evaluate(event).length === 1;
}

const stopLogging = (overrides: Json = {}) =>
  cloudTrailRecord({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', readOnly: false, requestParameters: { name: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail' }, ...overrides });

describe('Sigma field matching', () => {
  it('compares strings without case and as whole values by default', () => {
    const rule = sigma('selection:\n  eventName: stoplogging\ncondition: selection');
    expect(fires(rule, stopLogging())).toBe(true);
    expect(fires(rule, stopLogging({ eventName: 'StopLoggingNow' }))).toBe(false);
  });

  it('treats * and ? as wildcards and \\* as a literal star', () => {
    expect(fires(sigma("selection:\n  eventName: 'Stop*'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  eventName: 'St?pLogging'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  eventName: 'Stop\\*'\ncondition: selection"), stopLogging())).toBe(false);
    expect(fires(sigma("selection:\n  eventName: 'Stop\\*'\ncondition: selection"), stopLogging({ eventName: 'Stop*' }))).toBe(true);
  });

  it('supports contains, startswith, endswith and cased', () => {
    expect(fires(sigma("selection:\n  userAgent|contains: 'AWS-CLI'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  userAgent|contains|cased: 'AWS-CLI'\ncondition: selection"), stopLogging())).toBe(false);
    expect(fires(sigma("selection:\n  eventSource|startswith: 'cloudtrail.'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  eventSource|endswith: '.amazonaws.com'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  eventSource|endswith: '.amazonaws'\ncondition: selection"), stopLogging())).toBe(false);
  });

  it('matches any value of a list, or every value with |all', () => {
    const anyOf = sigma('selection:\n  eventName:\n    - DeleteTrail\n    - StopLogging\ncondition: selection');
    expect(fires(anyOf, stopLogging())).toBe(true);
    const allOf = sigma("selection:\n  userAgent|contains|all:\n    - 'aws-cli'\n    - 'os/linux'\ncondition: selection");
    expect(fires(allOf, stopLogging())).toBe(true);
    expect(fires(allOf, stopLogging({ userAgent: 'aws-cli/2.15.30 os/macos#23.4.0' }))).toBe(false);
  });

  it('supports re with its flags, cidr, exists, null and numeric comparisons', () => {
    expect(fires(sigma("selection:\n  userIdentity.arn|re: ':assumed-role/AWSReservedSSO_[A-Za-z]+_'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  eventName|re: '^stoplogging$'\ncondition: selection"), stopLogging())).toBe(false);
    expect(fires(sigma("selection:\n  eventName|re|i: '^stoplogging$'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  sourceIPAddress|cidr: '192.0.2.0/24'\ncondition: selection"), stopLogging())).toBe(true);
    expect(fires(sigma("selection:\n  sourceIPAddress|cidr: '198.51.100.0/24'\ncondition: selection"), stopLogging())).toBe(false);
    expect(fires(sigma('selection:\n  errorCode|exists: true\ncondition: selection'), stopLogging())).toBe(false);
    expect(fires(sigma('selection:\n  errorCode|exists: true\ncondition: selection'), stopLogging({ errorCode: 'AccessDenied' }))).toBe(true);
    expect(fires(sigma('selection:\n  errorCode: null\ncondition: selection'), stopLogging())).toBe(true);
    expect(fires(sigma('selection:\n  errorCode: null\ncondition: selection'), stopLogging({ errorCode: 'AccessDenied' }))).toBe(false);
    expect(fires(sigma('selection:\n  requestParameters.maxItems|gte: 100\ncondition: selection'), stopLogging({ requestParameters: { maxItems: 500 } }))).toBe(true);
    expect(fires(sigma('selection:\n  requestParameters.maxItems|lt: 100\ncondition: selection'), stopLogging({ requestParameters: { maxItems: 500 } }))).toBe(false);
  });

  it('compares a field with another field through fieldref', () => {
    const rule = sigma('selection:\n  userIdentity.userName|fieldref: requestParameters.userName\ncondition: selection');
    const user = { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/bob', accountId: '111122223333', userName: 'bob' };
    expect(fires(rule, cloudTrailRecord({ eventSource: 'iam.amazonaws.com', eventName: 'UpdateLoginProfile', userIdentity: user, requestParameters: { userName: 'bob' } }))).toBe(true);
    expect(fires(rule, cloudTrailRecord({ eventSource: 'iam.amazonaws.com', eventName: 'UpdateLoginProfile', userIdentity: user, requestParameters: { userName: 'carol' } }))).toBe(false);
  });

  it('matches an object-valued field as its JSON text', () => {
    const rule = sigma("selection:\n  requestParameters|contains: 'org-trail'\ncondition: selection");
    expect(fires(rule, stopLogging())).toBe(true);
  });

  it('searches every string of the record for a keyword list', () => {
    const rule = sigma("keywords:\n  - 'trufflehog'\n  - 'pacu'\ncondition: keywords");
    expect(fires(rule, stopLogging({ userAgent: 'TruffleHog/3.63.0' }))).toBe(true);
    expect(fires(rule, stopLogging())).toBe(false);
  });
});

describe('Sigma conditions', () => {
  const detections = `selection:
  eventSource: cloudtrail.amazonaws.com
filter_main_service:
  userIdentity.type: AWSService
filter_main_automation:
  userAgent|contains: terraform
selection_alt:
  eventName: DeleteTrail
`;
  it('evaluates and, or, not and parentheses', () => {
    expect(fires(sigma(`${detections}condition: selection and not (filter_main_service or filter_main_automation)`), stopLogging())).toBe(true);
    expect(fires(sigma(`${detections}condition: selection and not (filter_main_service or filter_main_automation)`), stopLogging({ userAgent: 'Terraform/1.7.0' }))).toBe(false);
    expect(fires(sigma(`${detections}condition: selection_alt or filter_main_service`), stopLogging())).toBe(false);
  });

  it('expands 1 of / all of over wildcard names and them', () => {
    expect(fires(sigma(`${detections}condition: selection and not 1 of filter_main_*`), stopLogging({ userAgent: 'Terraform/1.7.0' }))).toBe(false);
    expect(fires(sigma(`${detections}condition: selection and not 1 of filter_main_*`), stopLogging())).toBe(true);
    expect(fires(sigma(`${detections}condition: all of selection*`), stopLogging())).toBe(false);
    expect(fires(sigma(`${detections}condition: 1 of selection*`), stopLogging())).toBe(true);
    expect(fires(sigma(`${detections}condition: 1 of them`), stopLogging())).toBe(true);
    expect(fires(sigma(`${detections}condition: all of them`), stopLogging())).toBe(false);
  });

  it('treats a list of conditions as alternatives', () => {
    expect(fires(sigma(`${detections}condition:\n  - selection_alt\n  - selection`), stopLogging())).toBe(true);
  });

  it('indexes the rule by the event names the condition requires', () => {
    const rule = sigma('selection:\n  eventSource: cloudtrail.amazonaws.com\n  eventName: [StopLogging, DeleteTrail]\ncondition: selection');
    expect(rule.keys).toEqual([
      { source: 'cloudtrail.amazonaws.com', name: 'StopLogging' },
      { source: 'cloudtrail.amazonaws.com', name: 'DeleteTrail' },
    ]);
    expect(sigma('selection:\n  eventName: DeleteBucket\ncondition: selection').keys).toEqual([{ source: '*', name: 'DeleteBucket' }]);
    expect(sigma('selection:\n  userIdentity.type: Root\ncondition: selection').keys).toEqual([{ source: '*', name: '*' }]);
  });

  it('maps level to severity, tags to MITRE ids and ASFF types, and keeps the attribution', () => {
    const rule = sigma('selection:\n  eventName: StopLogging\ncondition: selection');
    expect(rule.severity(eventOf(stopLogging()))).toBe('HIGH');
    expect(rule.mitre).toEqual(['T1562.008']);
    expect(rule.types).toEqual(['TTPs/Defense Evasion/Sigma-Test rule']);
    expect(rule.description.render({})).toContain('Sigma rule 00000000-0000-4000-8000-000000000000 by Skywatch tests');
    expect(rule.pack).toBe('sigma');
    expect(rule.status).toBe('active');
    expect(sigma('selection:\n  eventName: StopLogging\ncondition: selection', 'experimental').status).toBe('staged');
  });
});

describe('unsupported and invalid Sigma rules are reported, never dropped silently', () => {
  it.each([
    ['an aggregation', 'selection:\n  eventName: ConsoleLogin\ncondition: selection | count() by sourceIPAddress > 10', /aggregation/],
    ['a timeframe', 'selection:\n  eventName: ConsoleLogin\ntimeframe: 5m\ncondition: selection', /timeframe/],
    ['an unknown modifier', "selection:\n  userAgent|windash: '-x'\ncondition: selection", /modifier "windash"/],
    ['an unknown detection name', 'selection:\n  eventName: ConsoleLogin\ncondition: selection and not filter', /unknown detection "filter"/],
    ['an invalid regex', "selection:\n  eventName|re: '(['\ncondition: selection", /invalid regex/],
  ])('%s', (_, detection, reason) => {
    const { rules, problems } = loadSigma(detection);
    expect(rules).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('rules/sigma/test_rule.yml');
    expect(problems[0]!.reason).toMatch(reason);
  });

  it('another log source', () => {
    const text = 'title: t\nlogsource:\n  product: windows\n  service: security\ndetection:\n  selection:\n    EventID: 4624\n  condition: selection\nlevel: low\n';
    const { problems } = loadRules([{ file: 'win.yml', text }]);
    expect(problems[0]).toMatchObject({ file: 'win.yml', kind: 'unsupported' });
    expect(problems[0]!.reason).toMatch(/logsource/);
  });
});

describe("SigmaHQ's AWS CloudTrail rules", () => {
  const dir = join(FIXTURES, 'sigma/rules');
  const { sources, problems: unread } = readRuleSources([dir]);
  const { rules, problems } = loadRules(sources);

  it('at least 95% load; each one that does not is listed with its reason', () => {
    // The shared fixtures must be there: a missing folder is a read problem, not an exception.
    expect(unread).toEqual([]);
    expect(sources.length).toBeGreaterThanOrEqual(57);
    expect(rules.length / sources.length).toBeGreaterThanOrEqual(0.95);
    for (const p of problems) expect(p.reason.length).toBeGreaterThan(10);
    expect(rules.length + problems.length).toBe(sources.length);
  });

  it('all run over realistic events without a rule failure', () => {
    const engine = new RuleEngine(rules);
    // Panther's test logs are CloudTrail records, some trimmed to the fields their rule reads.
    const records = readJsonLines<{ log: Json }>('cloudtrail/panther-dev-cases.jsonl')
      .map((c) => c.log)
      .filter((l) => typeof l.eventSource === 'string')
      .map((l) => ({ eventVersion: '1.08', eventTime: '2024-11-25T17:51:21Z', ...l }));
    const stratus = readJsonLines<{ sample_events: Json[] }>('cloudtrail/stratus-dev-techniques.jsonl').flatMap((t) => t.sample_events);
    let hits = 0;
    for (const record of [...records, ...stratus]) hits += engine.evaluate(eventOf(record)).length;
    expect(engine.failures).toEqual([]);
    expect(hits).toBeGreaterThan(0);
  });

  it.each([
    ['aws_cloudtrail_disable_logging.yml', 'StopLogging', stopLogging(), true],
    ['aws_cloudtrail_disable_logging.yml', 'StartLogging', stopLogging({ eventName: 'StartLogging' }), false],
    ['aws_root_account_usage.yml', 'a root API call', cloudTrailRecord({ userIdentity: rootIdentity, eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' }), true],
    ['aws_root_account_usage.yml', 'a service event for root', cloudTrailRecord({ userIdentity: { ...rootIdentity }, eventType: 'AwsServiceEvent', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' }), false],
    ['aws_cloudtrail_bucket_deleted.yml', 'a bucket deleted', cloudTrailRecord({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', requestParameters: { bucketName: 'org-trail-logs', Host: 'org-trail-logs.s3.eu-west-1.amazonaws.com' } }), true],
    ['aws_cloudtrail_bucket_deleted.yml', 'a failed bucket deletion', cloudTrailRecord({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', errorCode: 'BucketNotEmpty', requestParameters: { bucketName: 'org-trail-logs' } }), false],
  ] as const)('%s on %s: fires %s', (file, _, record, expected) => {
    const rule = rules.find((r) => r.file.endsWith(file))!;
    expect(rule, file).toBeDefined();
    expect(fires(rule, record as Json)).toBe(expected);
  });

  it('names rules after their files', () => {
    const names = readdirSync(join(dir, 'cloud/aws/cloudtrail'));
    expect(rules.map((r) => r.id).sort()).toEqual(names.map((n) => `sigma-${n.replace(/\.yml$/, '').replace(/_/g, '-')}`).sort());
  });
});
