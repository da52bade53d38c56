import { describe, expect, it } from 'vitest';
import { loadCorrelationRules } from '../../central/core/correlation/load.js';
import { MAX_GROUPS_PER_OBSERVATION } from '../../central/core/correlation/fields.js';
import { observation } from './support.js';

const ACCESS_KEY_RULE = `title: One access key used from one IP in three or more accounts within an hour
id: access-key-one-ip-many-accounts
status: test
description: The same access key called AWS from the same address in three or more accounts.
level: high
tags: [attack.t1078.004, attack.lateral-movement]
references: [https://attack.mitre.org/techniques/T1078/004/]
falsepositives: [A CI runner deploying to every account from one NAT address]
correlation:
  type: value_count
  rules: ['*']
  group-by: [actor.accessKeyId, sourceIp]
  timespan: 1h
  condition: { field: account, gte: 3 }
  generate: false
skywatch:
  runbook: |
    1. Find who holds the key.
    2. Deactivate it if nobody does.
  tests:
    - name: three accounts
      events: [{ eventName: GetCallerIdentity }]
      expect: { findings: 1, accounts: ['111122223333', '444455556666', '777788889999'] }
`;

const file = (id: string) => `rules/correlation/${id}.yaml`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const load = (...sources: Array<[string, string]>) => loadCorrelationRules(sources.map(([f, text]) => ({ file: f, text })));
/** The access-key rule with its correlation section replaced. */
const withCorrelation = (section: string) => ACCESS_KEY_RULE.replace(/correlation:\n(  .*\n)+/, `correlation:\n${section}`);

describe('loading correlation rules', () => {
  it('compiles a Skywatch correlation file into what the engine and the finding need', () => {
    const { rules, problems } = load([file('access-key-one-ip-many-accounts'), ACCESS_KEY_RULE]);
    expect(problems).toEqual([]);
    const { refOf, groupsOf, ...data } = rules[0]!;
    expect(data).toEqual({
      id: 'access-key-one-ip-many-accounts',
      file: file('access-key-one-ip-many-accounts'),
      title: 'One access key used from one IP in three or more accounts within an hour',
      description: 'The same access key called AWS from the same address in three or more accounts.',
      type: 'value_count',
      refs: ['*'],
      groupBy: ['actor.accessKeyId', 'sourceIp'],
      timespanMs: 3_600_000,
      minimum: 3,
      field: 'account',
      aliases: {},
      severity: 'HIGH',
      status: 'active',
      types: ['TTPs/Lateral Movement/Correlation-One access key used from one IP in three or more accounts within an hour'],
      mitre: ['T1078.004'],
      tactics: ['lateral-movement'],
      runbook: '1. Find who holds the key.\n2. Deactivate it if nobody does.',
      reference: 'https://attack.mitre.org/techniques/T1078/004/',
      falsePositives: ['A CI runner deploying to every account from one NAT address'],
      tests: [{ name: 'three accounts', events: [{ eventName: 'GetCallerIdentity' }], expect: { findings: 1, accounts: ['111122223333', '444455556666', '777788889999'] } }],
    });
  });

  it('defaults: medium, derived types without tactics, a generic numbered runbook, temporal minimum = every rule', () => {
    const text = `title: Recon then a new access key
id: recon-then-new-key
correlation:
  type: temporal
  rules: [iam-list-users, iam-create-access-key]
  group-by: [actor.arn]
  timespan: 30m
`;
    const { rules, problems } = load([file('recon-then-new-key'), text]);
    expect(problems).toEqual([]);
    const rule = rules[0]!;
    expect([rule.severity, rule.status, rule.minimum, rule.description, rule.reference, rule.tests]).toEqual(['MEDIUM', 'active', 2, 'Recon then a new access key', undefined, []]);
    expect(rule.types).toEqual(['Unusual Behaviors/User/Correlation-Recon then a new access key']);
    expect(rule.runbook).toMatch(/^1\. .*\n2\. .*\n3\. /);
  });

  it('takes gt as one more than its bound, the larger of gt and gte when both are given, and stages experimental rules', () => {
    const minimum = (condition: string) => load([file('access-key-one-ip-many-accounts'), ACCESS_KEY_RULE.replace('{ field: account, gte: 3 }', condition)]).rules[0]?.minimum;
    expect(minimum('{ field: account, gt: 3 }')).toBe(4);
    expect(minimum('{ field: account, gt: 3, gte: 7 }')).toBe(7);
    expect(minimum('{ field: account, gt: 6, gte: 2 }')).toBe(7);
    expect(minimum('{ field: [account], gte: 2 }')).toBe(2);
    const staged = load([file('access-key-one-ip-many-accounts'), ACCESS_KEY_RULE.replace('status: test', 'status: experimental')]).rules[0]!;
    expect(staged.status).toBe('staged');
  });

  it('loads a SigmaHQ-style file: UUID id, a name, rules referred to by Sigma rule id and name, any file name', () => {
    const text = `title: Correlation - Failed console logins followed by a success
id: 6f7b2a43-1c5e-4c1a-9a57-3d2f0b8e9c11
name: console_bruteforce_success
status: experimental
description: Several failed console logins then a successful one for the same user
author: Example Author
date: 2026-02-01
correlation:
  type: temporal_ordered
  rules:
    - 0e95725d-7320-415d-80f7-004da920fc11
    - aws_console_login_success
  group-by:
    - actor.arn
  timespan: 10m
falsepositives:
  - Unlikely
level: high
generate: false
`;
    const { rules, problems } = load(['rules/correlation/mr_console_bruteforce_success.yml', text]);
    expect(problems).toEqual([]);
    const rule = rules[0]!;
    expect([rule.id, rule.name, rule.type, rule.minimum, rule.severity, rule.status, rule.falsePositives]).toEqual(['6f7b2a43-1c5e-4c1a-9a57-3d2f0b8e9c11', 'console_bruteforce_success', 'temporal_ordered', 2, 'HIGH', 'staged', ['Unlikely']]);
    const names = (sigmaId: string, sigmaName: string) => ({ names: [`sigma-${sigmaName}`, sigmaId, sigmaName] });
    expect(rule.refOf(names('0e95725d-7320-415d-80f7-004da920fc11', 'aws_console_login_failed'))).toBe(0);
    expect(rule.refOf(names('4d0a2c83-c62c-4ed4-b475-c7e23a9269b8', 'aws_console_login_success'))).toBe(1);
    expect(rule.refOf(names('53ba33fd-3a50-4468-a5ef-c583635cfa92', 'aws_something_else'))).toBe(-1);
  });

  it('matches refs exactly or with * wildcards, the first matching entry winning', () => {
    const text = withCorrelation(`  type: temporal
  rules: ['guardduty:Recon:*', iam-create-access-key, 'guardduty:*']
  group-by: [actor.arn]
  timespan: 1h
`);
    const rule = load([file('access-key-one-ip-many-accounts'), text]).rules[0]!;
    expect(rule.refOf({ names: ['guardduty:Recon:IAMUser/MaliciousIPCaller'] })).toBe(0);
    expect(rule.refOf({ names: ['iam-create-access-key', 'technique:T1098.001'] })).toBe(1);
    expect(rule.refOf({ names: ['guardduty:Discovery:S3/MaliciousIPCaller'] })).toBe(2);
    expect(rule.refOf({ names: ['iam-create-access-key-extra'] })).toBe(-1);
  });

  it('gives one group per combination of multi-valued group-by values, at most MAX_GROUPS_PER_OBSERVATION, and none when a value is missing', () => {
    const text = withCorrelation(`  type: event_count
  rules: ['*']
  group-by: [actor.arn, resource.id]
  timespan: 1h
  condition: { gte: 2 }
`);
    const rule = load([file('access-key-one-ip-many-accounts'), text]).rules[0]!;
    const arn = 'arn:aws:iam::111122223333:user/alice';
    const o = (fields: Record<string, string[]>) => observation({ time: '2026-03-02T12:00:00Z', label: 's3-object-read', fields });
    expect(rule.groupsOf(o({ 'actor.arn': [arn], 'resource.id': ['arn:aws:s3:::a', 'arn:aws:s3:::b'] }))).toEqual([
      { 'actor.arn': arn, 'resource.id': 'arn:aws:s3:::a' },
      { 'actor.arn': arn, 'resource.id': 'arn:aws:s3:::b' },
    ]);
    expect(rule.groupsOf(o({ 'actor.arn': [arn] }))).toEqual([]);
    expect(rule.groupsOf(o({ 'actor.arn': [arn], 'resource.id': [] }))).toEqual([]);
    const many = Array.from({ length: 20 }, (_, i) => `arn:aws:s3:::bucket-${i}`);
    const groups = rule.groupsOf(o({ 'actor.arn': [arn, 'arn:aws:iam::111122223333:user/bob'], 'resource.id': many }));
    expect(groups).toHaveLength(MAX_GROUPS_PER_OBSERVATION);
    expect(groups.every((g) => g['actor.arn'] === arn)).toBe(true);
  });

  it('without group-by, every observation of the rule is in one group', () => {
    const text = withCorrelation(`  type: event_count
  rules: ['guardduty:*']
  timespan: 10m
  condition: { gte: 20 }
`);
    const rule = load([file('access-key-one-ip-many-accounts'), text]).rules[0]!;
    expect(rule.groupBy).toEqual([]);
    expect(rule.groupsOf(observation({ time: '2026-03-02T12:00:00Z', label: 'guardduty:Recon:IAMUser/MaliciousIPCaller' }))).toEqual([{}]);
    expect(rule.groupsOf(observation({ time: '2026-03-02T12:00:00Z', label: 'iam-create-user' }))).toEqual([]);
  });

  describe('problems, each with its file and line; the other files still load', () => {
    const good = (id = 'other-rule') => [file(id), ACCESS_KEY_RULE.replace('id: access-key-one-ip-many-accounts', `id: ${id}`)] as [string, string];

    it('bad YAML', () => {
      const bad = ACCESS_KEY_RULE.replace('  timespan: 1h', '  timespan: "1h');
      const { rules, problems } = load([file('access-key-one-ip-many-accounts'), bad], good());
      expect(rules.map((r) => r.id)).toEqual(['other-rule']);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ file: file('access-key-one-ip-many-accounts'), kind: 'invalid' });
      expect(problems[0]!.reason).toMatch(/^invalid YAML: /);
      expect(problems[0]!.line).toBeGreaterThanOrEqual(lineOf(bad, 'timespan:'));
    });

    it('an unknown type, a missing title, an unknown key, a bad timespan', () => {
      const cases: Array<[string, string, RegExp]> = [
        [ACCESS_KEY_RULE.replace('type: value_count', 'type: value_counts'), 'type: value_counts', /^correlation\.type: /],
        [ACCESS_KEY_RULE.replace(/^title: .*\n/, ''), 'id: access-key', /^title: /],
        [ACCESS_KEY_RULE.replace('  timespan: 1h', '  timespan: 1h\n  timeframe: 1h'), 'timeframe', /^correlation: Unrecognized key: "timeframe"/],
        [ACCESS_KEY_RULE.replace('timespan: 1h', 'timespan: 1w'), 'timespan:', /^correlation\.timespan: must be a number and a unit/],
        [ACCESS_KEY_RULE.replace('timespan: 1h', 'timespan: 0m'), 'timespan:', /^correlation\.timespan: must be longer than zero/],
      ];
      for (const [text, needle, reason] of cases) {
        const { problems } = load([file('access-key-one-ip-many-accounts'), text]);
        expect(problems).toEqual([{ file: file('access-key-one-ip-many-accounts'), line: lineOf(text, needle), reason: expect.stringMatching(reason), kind: 'invalid' }]);
      }
    });

    it('value_count without a field, and a field on another type', () => {
      const missing = ACCESS_KEY_RULE.replace('{ field: account, gte: 3 }', '{ gte: 3 }');
      expect(load([file('access-key-one-ip-many-accounts'), missing]).problems).toEqual([
        { file: file('access-key-one-ip-many-accounts'), line: lineOf(missing, 'condition:'), reason: 'value_count needs condition.field: the field whose distinct values are counted', kind: 'invalid' },
      ]);
      const misplaced = ACCESS_KEY_RULE.replace('type: value_count', 'type: event_count');
      expect(load([file('access-key-one-ip-many-accounts'), misplaced]).problems).toEqual([
        { file: file('access-key-one-ip-many-accounts'), line: lineOf(misplaced, 'condition:'), reason: 'condition.field is only for value_count (this rule is event_count)', kind: 'invalid' },
      ]);
      const several = ACCESS_KEY_RULE.replace('field: account', 'field: [account, region]');
      expect(load([file('access-key-one-ip-many-accounts'), several]).problems).toEqual([
        { file: file('access-key-one-ip-many-accounts'), line: lineOf(several, 'condition:'), reason: expect.stringMatching(/^condition\.field lists 2 fields: .* not supported/), kind: 'unsupported' },
      ]);
    });

    it('non-monotonic conditions (lt, lte, eq, a range with an upper bound) are unsupported, with the reason', () => {
      for (const [bounds, bound] of [[['lt: 3'], 'lt: 3'], [['lte: 3'], 'lte: 3'], [['eq: 3'], 'eq: 3'], [['gt: 100', 'lte: 200'], 'lte: 200']] as const) {
        const text = ACCESS_KEY_RULE.replace('{ field: account, gte: 3 }', ['', 'field: account', ...bounds].join('\n    '));
        const { rules, problems } = load([file('access-key-one-ip-many-accounts'), text]);
        expect(rules).toEqual([]);
        expect(problems).toEqual([
          {
            file: file('access-key-one-ip-many-accounts'),
            line: lineOf(text, bound),
            reason: `condition ${bound} is ${bound.startsWith('eq') ? 'an exact count' : 'an upper bound'}: Skywatch evaluates correlations as events arrive, so it can tell when a count reaches a lower bound but never that it stays below one; only gt and gte are supported`,
            kind: 'unsupported',
          },
        ]);
      }
    });

    it('conditions that can never or always hold', () => {
      const noBound = ACCESS_KEY_RULE.replace('{ field: account, gte: 3 }', '{ field: account }');
      const always = ACCESS_KEY_RULE.replace('gte: 3', 'gte: 0');
      const tooMany = withCorrelation(`  type: temporal
  rules: [a-rule, b-rule]
  group-by: [actor.arn]
  timespan: 1h
  condition: { gte: 3 }
`);
      const huge = ACCESS_KEY_RULE.replace('gte: 3', 'gte: 501');
      const reasons = [noBound, always, tooMany, huge].map((t) => load([file('access-key-one-ip-many-accounts'), t]).problems.map((p) => [p.reason, p.kind]));
      expect(reasons).toEqual([
        [['value_count needs a condition with gt or gte (the count that fires)', 'invalid']],
        [['the condition always holds (a count of at least 0): use gte: 1 to fire on every observation', 'invalid']],
        [['the condition needs 3 distinct rules but rules: lists 2, so it can never hold', 'invalid']],
        [['the condition needs 501: a group keeps at most 500 observations, so at most 500 can be asked for', 'invalid']],
      ]);
    });

    it('the Sigma 2.x aggregate types are unsupported', () => {
      for (const type of ['value_sum', 'value_avg', 'value_percentile', 'value_median']) {
        const text = ACCESS_KEY_RULE.replace('type: value_count', `type: ${type}`);
        expect(load([file('access-key-one-ip-many-accounts'), text]).problems).toEqual([
          { file: file('access-key-one-ip-many-accounts'), line: lineOf(text, 'type:'), reason: expect.stringContaining(`correlation type ${type} (a Sigma 2.x extension`), kind: 'unsupported' },
        ]);
      }
    });

    it('a correlation of correlations (by id or by name) is unsupported; the rule it names still loads', () => {
      const inner = good('inner-rule');
      const named = ACCESS_KEY_RULE.replace('id: access-key-one-ip-many-accounts', 'id: named-rule\nname: named_inner');
      const outer = withCorrelation(`  type: temporal
  rules:
    - iam-create-user
    - inner-rule
  group-by: [actor.arn]
  timespan: 1h
`).replace('id: access-key-one-ip-many-accounts', 'id: outer-rule');
      const byName = outer.replace('id: outer-rule', 'id: outer-by-name').replace('- inner-rule', '- named_inner');
      const { rules, problems } = load(inner, [file('named-rule'), named], [file('outer-rule'), outer], [file('outer-by-name'), byName]);
      expect(rules.map((r) => r.id)).toEqual(['inner-rule', 'named-rule']);
      expect(problems).toEqual([
        { file: file('outer-rule'), line: lineOf(outer, '- inner-rule'), reason: `rules: "inner-rule" is the correlation rule in ${file('inner-rule')}: correlations of correlations are not supported (list the rules it correlates instead)`, kind: 'unsupported' },
        { file: file('outer-by-name'), line: lineOf(byName, '- named_inner'), reason: `rules: "named_inner" is the correlation rule in ${file('named-rule')}: correlations of correlations are not supported (list the rules it correlates instead)`, kind: 'unsupported' },
      ]);
    });

    it('a multi-document file: the embedded detection rules belong in the Sigma rules folder', () => {
      const text = `${ACCESS_KEY_RULE}---
title: Failed console login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource: { product: aws, service: cloudtrail }
detection:
  selection: { eventName: ConsoleLogin }
  condition: selection
---
title: Many failed logins
name: many_failed
correlation: { type: event_count, rules: [failed_login], group-by: [actor.arn], timespan: 10m, condition: { gte: 10 } }
`;
      const { rules, problems } = load([file('access-key-one-ip-many-accounts'), text], good());
      expect(rules.map((r) => r.id)).toEqual(['other-rule']);
      const detection = lineOf(text, 'title: Failed console login');
      const correlation = lineOf(text, 'title: Many failed logins');
      expect(problems).toEqual([
        {
          file: file('access-key-one-ip-many-accounts'),
          line: detection,
          reason: `a correlation rule file holds one rule and no other YAML document: detection rules (line ${detection}) belong in the Sigma rules folder, one file each, referred to here by id or name; further correlation rules (line ${correlation}) would be correlations of correlations, which are not supported`,
          kind: 'unsupported',
        },
      ]);
    });

    it('a detection rule where a correlation rule belongs', () => {
      const text = 'title: Failed console login\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  selection: { eventName: ConsoleLogin }\n  condition: selection\n';
      expect(load(['rules/correlation/failed_login.yml', text]).problems).toEqual([
        { file: 'rules/correlation/failed_login.yml', line: 1, reason: expect.stringContaining('a Sigma detection rule, not a correlation rule: put it in the Sigma rules folder'), kind: 'unsupported' },
      ]);
    });

    it('duplicate ids and names: the first loads, the next names it', () => {
      const first = good('shared-id');
      const again = [file('shared-id').replace('rules/', 'custom/'), first[1]] as [string, string];
      const namedA = ACCESS_KEY_RULE.replace('id: access-key-one-ip-many-accounts', 'id: named-a\nname: same_name');
      const namedB = ACCESS_KEY_RULE.replace('id: access-key-one-ip-many-accounts', 'id: named-b\nname: same_name');
      const { rules, problems } = load(first, again, [file('named-a'), namedA], [file('named-b'), namedB]);
      expect(rules.map((r) => r.id)).toEqual(['shared-id', 'named-a']);
      expect(problems).toEqual([
        { file: 'custom/correlation/shared-id.yaml', line: 2, reason: `duplicate correlation rule id "shared-id" (also in ${file('shared-id')})`, kind: 'invalid' },
        { file: file('named-b'), line: 3, reason: `duplicate correlation rule name "same_name" (also in ${file('named-a')})`, kind: 'invalid' },
      ]);
    });

    it('a Skywatch id must be the file name; a malformed id is refused', () => {
      expect(load(['rules/correlation/key-many-accounts.yaml', ACCESS_KEY_RULE]).problems).toEqual([
        { file: 'rules/correlation/key-many-accounts.yaml', line: 2, reason: 'file name must be access-key-one-ip-many-accounts.yaml to match the rule id', kind: 'invalid' },
      ]);
      const text = ACCESS_KEY_RULE.replace('id: access-key-one-ip-many-accounts', 'id: Access_Key');
      expect(load(['rules/correlation/Access_Key.yaml', text]).problems).toEqual([
        { file: 'rules/correlation/Access_Key.yaml', line: 2, reason: 'id: must be lowercase words joined by hyphens (the file name), or a UUID', kind: 'invalid' },
      ]);
    });

    it('aliases must name entries of rules: and cover every entry when used', () => {
      const typo = withCorrelation(`  type: temporal
  rules: [guardduty-recon, console-login-success]
  group-by: [ip]
  timespan: 1h
  aliases:
    ip:
      guardduty-recon: raw.detail.service.action.awsApiCallAction.remoteIpDetails.ipAddressV4
      console-login-sucess: sourceIp
`);
      expect(load([file('access-key-one-ip-many-accounts'), typo]).problems).toEqual([
        { file: file('access-key-one-ip-many-accounts'), line: lineOf(typo, 'console-login-sucess:'), reason: 'alias ip names "console-login-sucess", which is not an entry of rules:', kind: 'invalid' },
      ]);
      const partial = typo.replace(/ {6}console-login-sucess: sourceIp\n/, '');
      expect(load([file('access-key-one-ip-many-accounts'), partial]).problems).toEqual([
        { file: file('access-key-one-ip-many-accounts'), line: lineOf(partial, '    ip:'), reason: 'alias ip has no field for rules: entry "console-login-success", so its observations could never join', kind: 'invalid' },
      ]);
    });

    it('test cases are validated', () => {
      const text = ACCESS_KEY_RULE.replace("accounts: ['111122223333', '444455556666', '777788889999']", 'accounts: [111122223333]');
      expect(load([file('access-key-one-ip-many-accounts'), text]).problems).toEqual([
        { file: file('access-key-one-ip-many-accounts'), line: lineOf(text, 'expect:'), reason: expect.stringMatching(/^skywatch\.tests\.0\.expect\.accounts\.0: /), kind: 'invalid' },
      ]);
    });
  });
});
