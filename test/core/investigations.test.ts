/**
 * Investigations as data, the pure parts: loading files (and naming the file and line of a broken
 * one), named parameters made positional, values checked by type, the common time range and
 * accounts, which investigations fit a finding, and the timeline their rows make.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import { bindInvestigation, commonValues, InvestigationInputError, parseTime } from '../../central/core/query/bind.js';
import { investigateHint, mergeTimeline, planInvestigations, rowTime, windowAround } from '../../central/core/query/investigate.js';
import type { Investigation } from '../../central/core/query/investigation.js';
import { loadInvestigations } from '../../central/core/query/load-investigations.js';
import { namedSites, positional } from '../../central/core/query/named-sql.js';
import { loadInvestigationFolders } from '../../central/local/investigation-files.js';

const file = (name: string, body: string) => ({ file: `rules/queries/${name}.yaml`, text: body });
const QUERY = `query: key-use
title: Calls of one key
description: What one key did.
tables: [cloudtrail]
parameters:
  key:
    type: access-key
    description: the key
pivot:
  key: [skywatch/AccessKeyId]
sql: |
  SELECT eventtime AS event_time, account, eventid AS event_id
  FROM cloudtrail
  WHERE account IN (:accounts) AND day BETWEEN :from_day AND :to_day
    AND eventtime >= :from_time AND eventtime < :to_time AND useridentity.accesskeyid = :key
`;
const load = (text: string, name = 'key-use') => loadInvestigations([file(name, text)]);
const keyUse = () => load(QUERY).investigations[0]!;

describe('loading investigation files', () => {
  it('loads a valid file with its parameters, pivot and default window', () => {
    const { investigations, problems } = load(QUERY);
    expect(problems).toEqual([]);
    expect(investigations).toHaveLength(1);
    const q = investigations[0]!;
    expect({ name: q.name, tables: q.tables, parameters: q.parameters, pivot: q.pivot, windowMs: q.windowMs, timeColumn: q.timeColumn }).toEqual({
      name: 'key-use',
      tables: ['cloudtrail'],
      parameters: [{ name: 'key', type: 'access-key', description: 'the key' }],
      pivot: { key: ['skywatch/AccessKeyId'] },
      windowMs: 7 * 86_400_000,
      timeColumn: 'event_time',
    });
  });

  it.each([
    ['a name that is not the file name', QUERY.replace('query: key-use', 'query: other'), 1, 'the investigation name "other" must be the file name ("key-use")'],
    ['an undeclared parameter in the SQL', QUERY.replace('= :key', '= :keyid'), 11, ':keyid is neither a declared parameter nor a common one'],
    ['a declared parameter the SQL never uses', QUERY.replace('AND useridentity.accesskeyid = :key', ''), 6, 'parameter "key" is declared but the SQL never uses :key'],
    ['a table read without its accounts', QUERY.replace('account IN (:accounts) AND ', ''), 11, 'every table read must be constrained with "account IN (:accounts)"'],
    ['a log table read without its days', QUERY.replace('day BETWEEN :from_day AND :to_day', 'day = :to_day'), 11, 'every log table read must be constrained with "day BETWEEN :from_day AND :to_day"'],
    ['a positional placeholder', QUERY.replace('= :key', '= ?'), 11, 'write parameters as :name, not ?'],
    ['two statements', QUERY.replace('= :key\n', '= :key; DROP TABLE cloudtrail\n'), 11, 'the SQL must be one statement'],
    ['a statement that is no SELECT', QUERY.replace('  SELECT eventtime', '  DELETE eventtime'), 11, 'the SQL must be one SELECT'],
    ['a table it declares but does not read', QUERY.replace('tables: [cloudtrail]', 'tables: [cloudtrail, waf_logs]'), 4, 'the SQL does not read the table "waf_logs" it declares'],
    ['an unknown parameter type', QUERY.replace('type: access-key', 'type: text'), 7, 'Invalid option'],
    ['a pivot from a field findings do not have', QUERY.replace('[skywatch/AccessKeyId]', '[skywatch/Nothing]'), 10, 'Invalid option'],
  ])('refuses %s, naming the file and line', (_what, text, line, reason) => {
    const { investigations, problems } = load(text);
    expect(investigations).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('rules/queries/key-use.yaml');
    expect(problems[0]!.line).toBe(line);
    expect(problems[0]!.reason).toContain(reason);
  });

  it('reports broken YAML and a duplicate name, and still loads the others', () => {
    const { investigations, problems } = loadInvestigations([file('key-use', QUERY), file('broken', 'query: [unclosed'), { file: 'extra/key-use.yaml', text: QUERY }]);
    expect(investigations.map((q) => q.name)).toEqual(['key-use']);
    expect(problems.map((p) => [p.file, p.reason.split(':')[0]])).toEqual([
      ['rules/queries/broken.yaml', 'invalid YAML'],
      ['extra/key-use.yaml', 'duplicate investigation "key-use" (also in rules/queries/key-use.yaml)'],
    ]);
  });

  it('documents every built-in investigation in docs/queries.md, under its own heading', () => {
    const docs = readFileSync(new URL('../../docs/queries.md', import.meta.url), 'utf8');
    const headings = [...docs.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]);
    expect(headings).toEqual(loadInvestigationFolders().investigations.map((q) => q.name));
  });

  it('loads every built-in investigation, the two named ones among them', () => {
    const { investigations, problems } = loadInvestigationFolders();
    expect(problems).toEqual([]);
    expect(investigations.length).toBeGreaterThanOrEqual(12);
    expect(investigations.map((q) => q.name)).toEqual(expect.arrayContaining(['actor-activity', 'ip-activity', 'access-key-activity', 'console-sign-ins', 'denied-calls', 'account-changes', 'new-account-first-day', 'iam-changes', 'resource-exposure', 'role-assumptions', 'flow-top-talkers', 'waf-client-requests', 'findings-history']));
    expect(investigations.find((q) => q.name === 'actor-activity')!.parameters.map((p) => [p.name, p.type])).toEqual([['actor', 'principal']]);
    expect(investigations.find((q) => q.name === 'ip-activity')!.tables).toEqual(['cloudtrail', 'vpc_flow_logs', 'waf_logs']);
  });
});

describe('named parameters', () => {
  it('finds :names in code only, not in literals, identifiers, comments, casts or ARNs', () => {
    const sql = `SELECT ':not' AS a, "x:y" FROM t -- :comment\nWHERE a = :one AND b::varchar = :two /* :block */ AND c = 'arn:aws:iam::123:root'`;
    expect(namedSites(sql).map((s) => s.name)).toEqual(['one', 'two']);
  });

  it('turns each :name into as many ? as it has values, in order', () => {
    const values: Record<string, (string | number)[]> = { accounts: ['111122223333', '444455556666'], ip: ['192.0.2.10'] };
    expect(positional('SELECT 1 FROM t WHERE account IN (:accounts) AND (src = :ip OR dst = :ip)', (n) => values[n] ?? [])).toEqual({
      sql: 'SELECT 1 FROM t WHERE account IN (?, ?) AND (src = ? OR dst = ?)',
      parameters: ['111122223333', '444455556666', '192.0.2.10', '192.0.2.10'],
    });
  });
});

describe('binding an investigation', () => {
  const request = { parameters: { key: 'AKIAIOSFODNN7EXAMPLE' }, from: new Date('2026-11-11T03:00:00Z'), to: new Date('2026-11-11T23:30:00Z'), accounts: ['111122223333', '444455556666'] };

  it('binds the accounts, the day partitions (an hour of late delivery included), the times and the parameter', () => {
    expect(bindInvestigation(keyUse(), request).query).toEqual({
      sql: `SELECT eventtime AS event_time, account, eventid AS event_id
FROM cloudtrail
WHERE account IN (?, ?) AND day BETWEEN ? AND ?
  AND eventtime >= ? AND eventtime < ? AND useridentity.accesskeyid = ?`,
      parameters: ['111122223333', '444455556666', '2026/11/11', '2026/11/12', '2026-11-11T03:00:00Z', '2026-11-11T23:30:00Z', 'AKIAIOSFODNN7EXAMPLE'],
    });
  });

  it('gives every table its own form of the time range', () => {
    expect(commonValues(new Date('2026-11-11T03:00:00.250Z'), new Date('2026-11-12T00:00:00Z'), ['111122223333'])).toEqual({
      accounts: ['111122223333'], from_day: ['2026/11/11'], to_day: ['2026/11/12'], from_date: ['2026-11-11'], to_date: ['2026-11-12'],
      from_time: ['2026-11-11T03:00:00Z'], to_time: ['2026-11-12T00:00:00Z'], from_epoch: [1794366000], to_epoch: [1794441600], from_ms: [1794366000250], to_ms: [1794441600000],
    });
  });

  it.each([
    ['an unknown parameter', { parameters: { key: 'AKIAIOSFODNN7EXAMPLE', actor: 'alice' } }, 'actor', 'unknown parameter of key-use (it takes key)'],
    ['a value of the wrong type', { parameters: { key: "AKIA' OR 1=1 --" } }, 'key', 'expected an access key id such as AKIAIOSFODNN7EXAMPLE (type access-key), got "AKIA\' OR 1=1 --"'],
    ['a missing required parameter', { parameters: {} }, 'key', 'required by key-use: the key'],
    ['no accounts', { accounts: [] }, 'accounts', 'at least one account is needed'],
    ['an account that is no account id', { accounts: ['1111'] }, 'accounts', 'expected 12-digit account ids, got "1111"'],
    ['an end before the start', { to: new Date('2026-11-10T00:00:00Z') }, 'to', 'must be after from'],
  ])('refuses %s, naming the input', (_what, change, input, reason) => {
    const error = (() => {
      try {
        bindInvestigation(keyUse(), { ...request, ...change });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvestigationInputError);
    expect((error as InvestigationInputError).input).toBe(input);
    expect((error as InvestigationInputError).reason).toContain(reason);
  });

  it('reads times as ISO 8601, days and durations before now, and names a bad one', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect([parseTime('from', '2026-11-11', now), parseTime('from', '2026-11-11T03:12:00+01:00', now), parseTime('to', '24h', now), parseTime('to', '7d', now)].map((d) => d.toISOString())).toEqual([
      '2026-11-11T00:00:00.000Z', '2026-11-11T02:12:00.000Z', '2026-11-19T12:00:00.000Z', '2026-11-13T12:00:00.000Z',
    ]);
    expect(() => parseTime('from', 'yesterday', now)).toThrow(/^from: expected an ISO 8601 time/);
  });
});

const finding = (fields: Record<string, string>): AsffFinding =>
  ({
    Id: 'skywatch/us-east-1/111122223333/iam-user-created/abc', AwsAccountId: '111122223333', Region: 'us-east-1',
    FirstObservedAt: '2026-11-11T03:12:00Z', LastObservedAt: '2026-11-11T03:20:00Z', CreatedAt: '2026-11-11T03:25:00Z', UpdatedAt: '2026-11-11T03:25:00Z',
    ProductFields: { 'skywatch/RuleId': 'iam-user-created', ...fields },
  }) as unknown as AsffFinding;

describe('investigating a finding', () => {
  const investigations = loadInvestigationFolders().investigations;

  it('runs what the actor, the key and the address fill, and not the address investigations for a service name', () => {
    const withIp = planInvestigations(finding({ 'skywatch/ActorArn': 'arn:aws:iam::111122223333:user/svc-reporting', 'skywatch/AccessKeyId': 'AKIAIOSFODNN7EXAMPLE', 'skywatch/SourceIp': '203.0.113.66' }), investigations);
    expect(withIp.map((p) => [p.investigation.name, p.parameters])).toEqual([
      ['access-key-activity', { key: 'AKIAIOSFODNN7EXAMPLE' }],
      ['actor-activity', { actor: 'arn:aws:iam::111122223333:user/svc-reporting' }],
      ['console-sign-ins', { ip: '203.0.113.66' }],
      ['denied-calls', { actor: 'arn:aws:iam::111122223333:user/svc-reporting' }],
      ['findings-history', { rule: 'iam-user-created' }],
      ['flow-top-talkers', { ip: '203.0.113.66' }],
      ['ip-activity', { ip: '203.0.113.66' }],
      ['waf-client-requests', { ip: '203.0.113.66' }],
    ]);
    const byService = planInvestigations(finding({ 'skywatch/ActorArn': 'arn:aws:iam::111122223333:user/svc-reporting', 'skywatch/SourceIp': 'cloudformation.amazonaws.com' }), investigations);
    expect(byService.map((p) => p.investigation.name)).toEqual(['actor-activity', 'denied-calls', 'findings-history']);
  });

  it('looks a given number of hours around the first and last event', () => {
    const { from, to } = windowAround(finding({}), 6);
    expect([from.toISOString(), to.toISOString()]).toEqual(['2026-11-10T21:12:00.000Z', '2026-11-11T09:20:01.000Z']);
  });

  it('names the investigation to run: the principal first, then the key, then an address', () => {
    expect([
      investigateHint({ actorArn: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', sourceIp: '192.0.2.10' }),
      investigateHint({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', sourceIp: '192.0.2.10' }),
      investigateHint({ sourceIp: '2001:db8::1' }),
      investigateHint({ sourceIp: 'ec2.amazonaws.com' }),
    ]).toEqual(['actor-activity actor=arn:aws:iam::111122223333:user/alice', 'access-key-activity key=AKIAIOSFODNN7EXAMPLE', 'ip-activity ip=2001:db8::1', undefined]);
  });

  it('reads row times as ISO text, SQL timestamps, epoch seconds and epoch milliseconds', () => {
    expect([rowTime('2026-11-11T03:12:07Z'), rowTime('2026-11-11 03:12:07'), rowTime('2026-11-11 03:12:07.000'), rowTime(1794366727), rowTime(1794366727000), rowTime('1794366727'), rowTime(null)]).toEqual([
      '2026-11-11T03:12:07.000Z', '2026-11-11T03:12:07.000Z', '2026-11-11T03:12:07.000Z', '2026-11-11T03:12:07.000Z', '2026-11-11T03:12:07.000Z', '2026-11-11T03:12:07.000Z', undefined,
    ]);
  });

  it('merges the rows of several investigations in time order, one entry per event naming every investigation that found it', () => {
    const actor = { name: 'actor-activity', timeColumn: 'event_time' } as Investigation;
    const ip = { name: 'ip-activity', timeColumn: 'event_time' } as Investigation;
    const talkers = { name: 'flow-top-talkers', timeColumn: 'first_seen' } as Investigation;
    const timeline = mergeTimeline([
      { investigation: actor, rows: [{ event_time: '2026-11-11T03:12:07Z', account: '111122223333', region: 'us-east-1', event_id: 'e2' }, { event_time: '2026-11-11T03:10:00Z', account: '444455556666', region: 'eu-west-1', event_id: 'e1' }] },
      { investigation: ip, rows: [{ event_time: '2026-11-11 03:12:07', account: '111122223333', region: 'us-east-1', event_id: 'e2' }] },
      { investigation: talkers, rows: [{ first_seen: 1794366400, account: '111122223333', region: 'us-east-1', peer: '10.0.1.25' }] },
    ]);
    expect(timeline.map((e) => [e.time, e.account, e.investigations])).toEqual([
      ['2026-11-11T03:06:40.000Z', '111122223333', ['flow-top-talkers']],
      ['2026-11-11T03:10:00.000Z', '444455556666', ['actor-activity']],
      ['2026-11-11T03:12:07.000Z', '111122223333', ['actor-activity', 'ip-activity']],
    ]);
  });
});
